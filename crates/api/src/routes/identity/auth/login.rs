//! `POST /v1/auth/login`: email and password for a token pair, in the requested tenant or the
//! user's first. Throttled per IP (by the rate-limit layer) and per account (here).

use super::TokenResponse;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Context;
use edge::auth::too_many;
use edge::extract::ApiJson;
use edge::rate_limit::{LimitKey, RateLimiter};
use identity::Identity;
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
        (status = 429, description = "RATE_LIMITED"),
    ))]
pub async fn login(
    State(identity): State<Identity>,
    State(limiter): State<RateLimiter>,
    Context(context): Context,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let account = request.email.trim().to_ascii_lowercase();
    limiter.check(LimitKey::AuthAccount(&account)).map_err(too_many)?;
    let pair =
        identity.login(&context, &account, &request.password, request.tenant.as_deref()).await?;
    Ok(Json(pair.into()))
}
