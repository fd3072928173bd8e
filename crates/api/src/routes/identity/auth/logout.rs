//! `POST /v1/auth/logout`: denies the presented access token from now on and revokes its
//! refresh-token family.

use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use identity::Identity;

#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "Logged out")))]
pub async fn logout(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
) -> Result<StatusCode, ApiError> {
    identity.logout(&context, &principal).await?;
    Ok(StatusCode::NO_CONTENT)
}
