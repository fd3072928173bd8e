//! `POST /v1/auth/logout`: denies the presented access token from now on and revokes its
//! refresh-token family.

use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "Logged out")))]
pub async fn logout(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Context(context): Context,
) -> Result<StatusCode, ApiError> {
    state.identity.logout(&context, &principal).await?;
    Ok(StatusCode::NO_CONTENT)
}
