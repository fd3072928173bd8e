//! `POST /v1/roles/reset`: restores the default matrix in the caller's tenant.

use super::RoleMatrix;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use identity::Identity;

#[utoipa::path(post, path = "/v1/roles/reset", tag = "roles",
    responses((status = 200, description = "The default matrix, now in force", body = RoleMatrix)))]
pub async fn reset(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
) -> Result<Json<RoleMatrix>, ApiError> {
    Ok(Json(identity.reset_roles(&context, &principal).await?.into()))
}
