//! `POST /v1/alert-sources`: creates a source and answers 201 with its credential, shown this
//! once.

use super::{SourceRequest, SourceWithSecretItem};
use alerts::Alerts;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;

#[utoipa::path(post, path = "/v1/alert-sources", tag = "alert-sources", request_body = SourceRequest,
    responses(
        (status = 201, description = "Created; the credential is shown this once", body = SourceWithSecretItem),
        (status = 409, description = "CONFLICT: the name is taken, or the tenant has 100 sources"),
    ))]
pub async fn create(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<SourceRequest>,
) -> Result<(StatusCode, Json<SourceWithSecretItem>), ApiError> {
    let made = alerts.create_source(&context, &principal, &request.into()).await?;
    Ok((StatusCode::CREATED, Json(made.into())))
}
