//! Ingestion routes: `POST /v1/alerts/ingest` (Palisade's format), `POST
//! /v1/alerts/ingest/{wazuh,elastic,ocsf,sentinel,splunk}` (each product's own payloads) and
//! `POST /v1/alerts/events` (raw events for the detection rules). A push authenticates with an
//! API key (`Authorization: Bearer`, `ALERTS_INGEST`) or as a configured source
//! (`X-Palisade-Source` with its token or signature, which the service checks over the exact
//! bytes before parsing), so the guard lets it through and the service decides. Bodies may be 10
//! MiB and carry 10,000 alerts, as one JSON object, a JSON array or NDJSON.

pub mod adapters;
pub mod alerts;
pub mod events;

use crate::guard;
use ::alerts::service::ingest::{IngestReport, IngestRequest};
use ::alerts::{Alerts, AlertsError, IngestHeaders};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use detect::SourceKind;
use edge::auth::{Access, AuthOutcome, CredentialBudget, too_many, unauthenticated};
use edge::rate_limit::Tier;
use edge::{ApiError, AppState, ErrorCode};
use platform::access::Permission;
use platform::audit::RequestContext;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    // Pushes authenticate in the service (API key or source credential): public at the guard.
    let push = |r| large(guard(Access::Public, Tier::General, r));
    let events = || Access::Permission(Permission::ALERTS_INGEST);
    OpenApiRouter::new()
        .routes(push(routes!(alerts::ingest)))
        .routes(push(routes!(adapters::wazuh)))
        .routes(push(routes!(adapters::elastic)))
        .routes(push(routes!(adapters::ocsf)))
        .routes(push(routes!(adapters::sentinel)))
        .routes(push(routes!(adapters::splunk)))
        .routes(large(guard(events(), Tier::General, routes!(events::events))))
}

/// Lets the routes read bodies up to the ingestion limit.
fn large((schemas, paths, router): UtoipaMethodRouter<AppState>) -> UtoipaMethodRouter<AppState> {
    (schemas, paths, router.layer(DefaultBodyLimit::max(::alerts::MAX_INGEST_BYTES)))
}

/// `?source=` and `?token=`, for senders that cannot set headers.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PushQuery {
    /// The configured source pushing (same as `X-Palisade-Source`).
    pub source: Option<String>,
    /// The source's token (same as `X-Palisade-Token`); prefer the header, which stays out of
    /// access logs.
    pub token: Option<String>,
}

/// The headers of a push by a configured source (documentation only: the handler reads them
/// from the request).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct PushHeaders {
    /// The configured source pushing; without it, the push must carry an API key.
    #[serde(rename = "X-Palisade-Source")]
    pub source: Option<String>,
    /// A `token` source's token.
    #[serde(rename = "X-Palisade-Token")]
    pub token: Option<String>,
    /// Standard Webhooks: the message id, signed with the timestamp and body.
    #[serde(rename = "webhook-id")]
    pub webhook_id: Option<String>,
    /// Standard Webhooks: seconds since the epoch, within 5 minutes of the server's clock.
    #[serde(rename = "webhook-timestamp")]
    pub webhook_timestamp: Option<String>,
    /// Standard Webhooks: `v1,<base64 HMAC-SHA256>` (several, space-separated, during a
    /// rotation).
    #[serde(rename = "webhook-signature")]
    pub webhook_signature: Option<String>,
    /// `sha256=<hex HMAC-SHA256 of "<X-Signature-Timestamp>.<body>">`.
    #[serde(rename = "X-Signature-256")]
    pub signature_256: Option<String>,
    /// Seconds since the epoch, within 5 minutes of the server's clock.
    #[serde(rename = "X-Signature-Timestamp")]
    pub signature_timestamp: Option<String>,
}

/// One accepted item.
#[derive(Serialize, ToSchema)]
pub struct AcceptedItem {
    /// Position of the item in the push (0-based; NDJSON: non-blank line number from 0).
    pub index: usize,
    /// The alert the item is now part of.
    pub id: uuid::Uuid,
    /// `created` (a new alert), `folded` (a repeat added to the open alert of its fingerprint)
    /// or `duplicate` (its source id was seen before: nothing changed).
    pub outcome: String,
    /// The alert's occurrences after this push (0 for a duplicate).
    pub occurrences: i64,
}

/// One rejected item: nothing of it was written.
#[derive(Serialize, ToSchema)]
pub struct RejectedItem {
    pub index: usize,
    /// `INVALID_JSON`, `INVALID_TEXT`, `NOT_AN_OBJECT`, `MISSING_FIELD`, `INVALID_FIELD`,
    /// `UNRECOGNIZED_SHAPE` or `OUT_OF_RANGE`.
    pub code: String,
    pub message: String,
}

/// An alert a detection rule raised on an item.
#[derive(Serialize, ToSchema)]
pub struct DetectionItem {
    pub index: usize,
    pub rule_id: uuid::Uuid,
    pub alert_id: uuid::Uuid,
    pub outcome: String,
}

/// What became of every item of a push: each is accepted (committed before this answer) or
/// rejected.
#[derive(Serialize, ToSchema)]
pub struct IngestResponse {
    pub accepted: Vec<AcceptedItem>,
    pub rejected: Vec<RejectedItem>,
    pub detections: Vec<DetectionItem>,
}

impl From<IngestReport> for IngestResponse {
    fn from(report: IngestReport) -> Self {
        IngestResponse {
            accepted: report
                .accepted
                .into_iter()
                .map(|a| AcceptedItem {
                    index: a.index,
                    id: a.id.as_uuid(),
                    outcome: a.outcome.as_str().into(),
                    occurrences: a.occurrences,
                })
                .collect(),
            rejected: report
                .rejected
                .into_iter()
                .map(|r| RejectedItem {
                    index: r.index,
                    code: r.code.as_str().into(),
                    message: r.message,
                })
                .collect(),
            detections: report
                .detections
                .into_iter()
                .map(|d| DetectionItem {
                    index: d.index,
                    rule_id: d.rule_id.as_uuid(),
                    alert_id: d.alert_id.as_uuid(),
                    outcome: d.outcome.as_str().into(),
                })
                .collect(),
        }
    }
}

/// Whether the body is NDJSON (`true`), JSON (`false`), or of a type ingestion does not read.
fn ndjson(headers: &HeaderMap) -> Result<bool, ApiError> {
    let essence = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
    match essence.as_deref() {
        Some(
            "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonl"
            | "application/x-jsonlines",
        ) => Ok(true),
        Some("application/json") => Ok(false),
        Some(other) if other.starts_with("application/") && other.ends_with("+json") => Ok(false),
        _ => Err(ApiError::new(
            ErrorCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the alerts as application/json (an object or an array) or application/x-ndjson.",
        )),
    }
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(|v| v.trim().to_string())
}

/// Who is pushing: what the authentication layer concluded about the request's bearer, and the
/// client's budget of invalid credentials (a source's credential is checked here, past the
/// layer, and must cost a guess as much as an API key does).
pub struct Pusher {
    outcome: AuthOutcome,
    budget: CredentialBudget,
}

impl<S: Send + Sync> FromRequestParts<S> for Pusher {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let outcome = parts.extensions.get::<AuthOutcome>().cloned();
        let budget = parts.extensions.get::<CredentialBudget>().cloned();
        match (outcome, budget) {
            (Some(outcome), Some(budget)) => Ok(Pusher { outcome, budget }),
            _ => Err(ApiError::from(anyhow::anyhow!("the authentication layer did not run"))),
        }
    }
}

/// Runs a push for whoever it comes from: a configured source when it names one, else the
/// authenticated principal.
pub async fn push(
    alerts: &Alerts,
    pusher: &Pusher,
    context: &RequestContext,
    headers: &HeaderMap,
    query: PushQuery,
    source: SourceKind,
    body: &Bytes,
) -> Result<IngestResponse, ApiError> {
    let Pusher { outcome, budget } = pusher;
    let request = IngestRequest { source, body, ndjson: ndjson(headers)? };
    let named = header(headers, "x-palisade-source").or(query.source);
    let report = match named {
        Some(id) => {
            // A source's token or signature is a credential like an API key: a client that has
            // spent its budget of invalid ones is refused before the lookup, and every refusal
            // spends it.
            budget.check().map_err(too_many)?;
            let id = ::alerts::model::AlertSourceId::parse(&id).map_err(|_| {
                budget.spend();
                ApiError::new(ErrorCode::UNAUTHENTICATED, "the source's credential is not valid")
            })?;
            let presented = IngestHeaders {
                token: header(headers, "x-palisade-token").or(query.token),
                webhook_id: header(headers, "webhook-id"),
                webhook_timestamp: header(headers, "webhook-timestamp"),
                webhook_signature: header(headers, "webhook-signature"),
                signature_256: header(headers, "x-signature-256"),
                signature_timestamp: header(headers, "x-signature-timestamp"),
            };
            let pushed = alerts.ingest_from_source(context, id, &presented, request).await;
            // A timestamp outside the window is refused before the signature is checked, after
            // the source's lookup: a guesser could otherwise send stale ones for free.
            if let Err(
                AlertsError::Unauthenticated(_)
                | AlertsError::BadSignature
                | AlertsError::Replayed(_),
            ) = &pushed
            {
                budget.spend();
            }
            pushed?
        }
        None => match outcome {
            AuthOutcome::Authenticated(principal) => {
                alerts.ingest(context, principal, request).await?
            }
            AuthOutcome::Refused(error) => return Err(unauthenticated(error)),
            AuthOutcome::Throttled(retry) => return Err(too_many(*retry)),
            AuthOutcome::Anonymous => {
                return Err(ApiError::new(
                    ErrorCode::UNAUTHENTICATED,
                    "Send Authorization: Bearer <API key>, or X-Palisade-Source with the source's \
                     token or signature.",
                ));
            }
        },
    };
    Ok(report.into())
}
