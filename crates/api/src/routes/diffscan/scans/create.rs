//! `POST /v1/diffscans`: requests a scan of a raw diff (`diff` or `diff_base64`) or of a pull
//! request through a configured GitHub installation (`github`), and answers 202 with the queued
//! scan. With an `Idempotency-Key`, the same request within a day answers the original scan
//! (`Idempotent-Replayed: true`); another request with the same key is 409 IDEMPOTENCY_CONFLICT.

use super::ScanItem;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use diffscan::Diffscan;
use diffscan::model::{BaselineId, InstallationId, PolicyId};
use diffscan::service::scans::{GithubTarget, ScanRequest};
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use edge::{ApiError, ErrorCode};
use serde::Deserialize;
use utoipa::ToSchema;

/// What to scan: exactly one of `diff`, `diff_base64` and `github`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateScanRequest {
    /// The unified diff as text (`git diff`, `git format-patch`, `git log -p`).
    pub diff: Option<String>,
    /// The unified diff as base64, for bytes that are not text (NUL bytes, other encodings).
    pub diff_base64: Option<String>,
    /// A pull request to fetch and scan through a GitHub installation (its check run is created
    /// and completed too).
    pub github: Option<GithubTargetRequest>,
    /// What the signed result names as its subject (at most 300 characters); default: the
    /// diff's digest, or `owner/name#number`.
    pub name: Option<String>,
    /// The policy to scan under; default: the repository's or installation's, else the
    /// tenant's default policy, else the built-in default.
    pub policy_id: Option<PolicyId>,
    /// Accepted findings: those in it are `baselined` and do not block.
    pub baseline_id: Option<BaselineId>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GithubTargetRequest {
    pub installation_id: InstallationId,
    /// `owner/name`.
    pub repository: String,
    pub pull_request: i64,
}

#[utoipa::path(post, path = "/v1/diffscans", tag = "diffscan", request_body = CreateScanRequest,
    params(("Idempotency-Key" = Option<String>, Header,
        description = "1 to 255 visible ASCII characters, kept for 24 hours per user or API key")),
    responses(
        (status = 202, description = "Queued (or, under a replayed Idempotency-Key, the original scan)", body = ScanItem),
        (status = 409, description = "IDEMPOTENCY_CONFLICT: the key was used with a different request"),
        (status = 422, description = "VALIDATION_FAILED: e.g. REQUIRED (nothing or two things to scan), INVALID_BASE64, INVALID_REPOSITORY, INVALID_IDEMPOTENCY_KEY, UNKNOWN_REFERENCE"),
    ))]
pub async fn create(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    headers: HeaderMap,
    ApiJson(request): ApiJson<CreateScanRequest>,
) -> Result<(StatusCode, HeaderMap, Json<ScanItem>), ApiError> {
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(value) => Some(value.to_str().map_err(|_| {
            ApiError::field(
                "Idempotency-Key",
                platform::FieldCode::INVALID_IDEMPOTENCY_KEY.as_str(),
                "1 to 255 visible ASCII characters",
            )
        })?),
    };
    let request = ScanRequest {
        diff: request.diff,
        diff_base64: request.diff_base64,
        github: request.github.map(|g| GithubTarget {
            installation_id: g.installation_id,
            repository: g.repository,
            pull_request: g.pull_request,
        }),
        name: request.name,
        policy_id: request.policy_id,
        baseline_id: request.baseline_id,
    };
    let created = diffscan.create_scan(&context, &principal, &request, key).await?;
    let mut answer = HeaderMap::new();
    let location = HeaderValue::from_str(&format!("/v1/diffscans/{}", created.scan.id))
        .map_err(|_| ApiError::new(ErrorCode::INTERNAL_ERROR, "location"))?;
    answer.insert(header::LOCATION, location);
    if created.replayed {
        answer.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok((StatusCode::ACCEPTED, answer, Json(created.scan.into())))
}
