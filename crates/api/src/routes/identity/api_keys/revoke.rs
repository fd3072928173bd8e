//! `DELETE /v1/api-keys/{id}`: revokes an API key; it stops working at once.

use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use identity::Identity;
use platform::ApiKeyId;

#[utoipa::path(delete, path = "/v1/api-keys/{id}", tag = "api_keys",
    params(("id" = ApiKeyId, Path, description = "The API key's id")),
    responses((status = 204, description = "Revoked (also when it already was)")))]
pub async fn revoke(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<ApiKeyId>,
) -> Result<StatusCode, ApiError> {
    identity.revoke_api_key(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
