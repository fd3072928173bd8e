//! `POST /v1/diffscan/github/installations`: adds a GitHub API with its token; answers 201 with
//! the webhook URL and, when generated, the webhook secret (this once).

use super::{InstallationItem, InstallationRequest};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use diffscan::Diffscan;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;

#[utoipa::path(post, path = "/v1/diffscan/github/installations", tag = "diffscan", request_body = InstallationRequest,
    responses(
        (status = 201, description = "Created; a generated webhook secret is shown this once", body = InstallationItem),
        (status = 409, description = "CONFLICT: the name is taken, or the tenant has 50 installations"),
        (status = 422, description = "VALIDATION_FAILED: REQUIRED, URL_NOT_ALLOWED, INVALID_URL, URL_NOT_RESOLVABLE, INVALID_TEXT, UNKNOWN_REFERENCE"),
    ))]
pub async fn create(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<InstallationRequest>,
) -> Result<(StatusCode, Json<InstallationItem>), ApiError> {
    let view = diffscan.create_installation(&context, &principal, &request.into()).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}
