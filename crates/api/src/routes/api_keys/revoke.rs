//! `DELETE /v1/api-keys/{id}`: revokes an API key; it stops working at once.

use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::extract::{IdPath, PathId};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

#[utoipa::path(delete, path = "/v1/api-keys/{id}", tag = "api_keys",
    params(("id" = uuid::Uuid, Path, description = "The API key's id")),
    responses(
        (status = 204, description = "Revoked (also when it already was)"),
        (status = 404, description = "NOT_FOUND: no such key in this tenant", body = crate::error::Problem),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(ApiKeyId(id)): IdPath<ApiKeyId>,
) -> Result<StatusCode, ApiError> {
    state.identity.revoke_api_key(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The id of `/v1/api-keys/{id}`.
#[derive(Debug, Clone, Copy)]
pub struct ApiKeyId(pub uuid::Uuid);

impl PathId for ApiKeyId {
    const NOUN: &'static str = "API key";
    fn from_uuid(id: uuid::Uuid) -> Self {
        ApiKeyId(id)
    }
}
