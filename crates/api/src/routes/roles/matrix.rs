//! `GET /v1/roles`: which permissions each role grants in the caller's tenant.

use super::RoleMatrix;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

#[utoipa::path(get, path = "/v1/roles", tag = "roles",
    responses((status = 200, description = "The role matrix", body = RoleMatrix)))]
pub async fn matrix(
    State(state): State<AppState>,
    Auth(principal): Auth,
) -> Result<Json<RoleMatrix>, ApiError> {
    Ok(Json(state.identity.role_matrix(&principal).await?.into()))
}
