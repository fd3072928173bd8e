//! `POST /v1/auth/password-reset/confirm`: sets a new password with the mailed token. Every
//! session and API key of the account ends.

use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::Context;
use edge::extract::ApiJson;
use identity::Identity;
use platform::Secret;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirmRequest {
    /// The `prst_…` token of the reset email.
    #[schema(value_type = String)]
    pub token: Secret<String>,
    /// The new password (the password policy applies).
    #[schema(value_type = String, format = Password)]
    pub password: Secret<String>,
}

#[utoipa::path(post, path = "/v1/auth/password-reset/confirm", tag = "auth",
    request_body = PasswordResetConfirmRequest,
    responses(
        (status = 204, description = "The password is set; log in with it"),
        (status = 400, description = "INVALID_TOKEN: unknown, used or expired"),
    ))]
pub async fn password_reset_confirm(
    State(identity): State<Identity>,
    Context(context): Context,
    ApiJson(request): ApiJson<PasswordResetConfirmRequest>,
) -> Result<StatusCode, ApiError> {
    identity.confirm_password_reset(&context, request.token.expose(), &request.password).await?;
    Ok(StatusCode::NO_CONTENT)
}
