//! `DELETE /v1/api-keys/{id}`: revokes an API key; it stops working at once.

use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
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
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = uuid::Uuid::parse_str(&id).map_err(|_| ApiError::not_found("API key"))?;
    state.identity.revoke_api_key(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
