//! `POST /v1/auth/login`: email and password for a token pair, in the requested tenant or the
//! user's first. Failures are slowed by identity's login throttle (per account and client).

use super::TokenResponse;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Context;
use edge::extract::ApiJson;
use identity::{Identity, SessionKind};
use platform::Secret;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    #[schema(value_type = String, format = Password)]
    pub password: Secret<String>,
    /// Tenant id or slug; default: the user's first active tenant.
    pub tenant: Option<String>,
}

#[utoipa::path(post, path = "/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "INVALID_CREDENTIALS"),
        (status = 403, description = "EMAIL_NOT_VERIFIED: open the verification link first"),
        (status = 429, description = "RATE_LIMITED: too many failures for this account from here"),
    ))]
pub async fn login(
    State(identity): State<Identity>,
    Context(context): Context,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let pair = identity
        .login(
            &context,
            &request.email,
            &request.password,
            request.tenant.as_deref(),
            SessionKind::Api,
        )
        .await?;
    Ok(Json(pair.into()))
}
