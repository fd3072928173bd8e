//! `POST /v1/roles/reset`: restores the default matrix in the caller's tenant.

use super::RoleMatrix;
use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

#[utoipa::path(post, path = "/v1/roles/reset", tag = "roles",
    responses((status = 200, description = "The default matrix, now in force", body = RoleMatrix)))]
pub async fn reset(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Context(context): Context,
) -> Result<Json<RoleMatrix>, ApiError> {
    Ok(Json(state.identity.reset_roles(&context, &principal).await?.into()))
}
