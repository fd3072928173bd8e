//! Applies the rate limits to `/v1`: the auth tier (login, register, refresh) per IP, every other
//! route per IP and per authenticated principal. Operational endpoints are never limited, so that
//! monitoring keeps working during a flood. Over the limit: 429 problem+json with Retry-After.

use crate::auth::AuthOutcome;
use crate::error::{ApiError, ErrorCode};
use crate::rate_limit::{LimitKey, RetryAfter, Tier};
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

const AUTH_PATHS: [&str; 3] = ["/v1/auth/login", "/v1/auth/register", "/v1/auth/refresh"];

pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !path.starts_with("/v1/") {
        return next.run(request).await;
    }
    let tier = if AUTH_PATHS.contains(&path) { Tier::Auth } else { Tier::General };
    let ip = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if let Some(ip) = ip
        && let Err(retry) = state.limiter.check(LimitKey::Ip(tier, ip))
    {
        return too_many(retry).into_response();
    }
    if let Some(AuthOutcome::Authenticated(principal)) = request.extensions().get::<AuthOutcome>() {
        let key = match (&principal.credential, principal.user) {
            (identity::Credential::ApiKey { id }, _) => id.to_string(),
            (_, Some(user)) => user.to_string(),
            (_, None) => principal.tenant.to_string(),
        };
        if let Err(retry) = state.limiter.check(LimitKey::Principal(tier, &key)) {
            return too_many(retry).into_response();
        }
    }
    next.run(request).await
}

pub fn too_many(retry: RetryAfter) -> ApiError {
    ApiError::new(
        ErrorCode::RATE_LIMITED,
        format!("Too many requests; retry in {} second(s).", retry.seconds),
    )
    .with_retry_after(retry.seconds)
}
