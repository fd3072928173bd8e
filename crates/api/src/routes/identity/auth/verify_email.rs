//! `POST /v1/auth/verify-email`: proves control of a registered address with the mailed token;
//! the account can log in from then on.

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
pub struct VerifyEmailRequest {
    /// The `pver_…` token of the verification email.
    #[schema(value_type = String)]
    pub token: Secret<String>,
}

#[utoipa::path(post, path = "/v1/auth/verify-email", tag = "auth", request_body = VerifyEmailRequest,
    responses(
        (status = 204, description = "Verified"),
        (status = 400, description = "INVALID_TOKEN: unknown, used or expired"),
    ))]
pub async fn verify_email(
    State(identity): State<Identity>,
    Context(context): Context,
    ApiJson(request): ApiJson<VerifyEmailRequest>,
) -> Result<StatusCode, ApiError> {
    identity.verify_email(&context, request.token.expose()).await?;
    Ok(StatusCode::NO_CONTENT)
}
