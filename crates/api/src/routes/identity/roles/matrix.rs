//! `GET /v1/roles`: which permissions each role grants in the caller's tenant.

use super::RoleMatrix;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use identity::Identity;

#[utoipa::path(get, path = "/v1/roles", tag = "roles",
    responses((status = 200, description = "The role matrix", body = RoleMatrix)))]
pub async fn matrix(
    State(identity): State<Identity>,
    Auth(principal): Auth,
) -> Result<Json<RoleMatrix>, ApiError> {
    Ok(Json(identity.role_matrix(&principal).await?.into()))
}
