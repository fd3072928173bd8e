//! `enforce`: what a route requires, applied after routing. First the rate tier (per client
//! address, then per principal), so that a flood is refused before anything else; then the
//! access. Refusals are problem+json: 429 with `Retry-After`, 401, 403.

use super::layer::AuthOutcome;
use crate::error::{ApiError, ErrorCode};
use crate::middleware::client_addr::ClientAddr;
use crate::rate_limit::{LimitKey, RateLimiter, RetryAfter, Tier};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use identity::AuthError;
use platform::access::Permission;

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, authenticated or not (login, health).
    Public,
    /// Any authenticated principal (their own session, `/me`).
    Authenticated,
    Permission(Permission),
}

impl Access {
    pub fn name(self) -> &'static str {
        match self {
            Access::Public => "PUBLIC",
            Access::Authenticated => "AUTHENTICATED",
            Access::Permission(p) => p.as_str(),
        }
    }
}

/// Applies `tier` and `access` to one request (see the module documentation).
pub async fn enforce(access: Access, tier: Tier, request: Request, next: Next) -> Response {
    let outcome =
        request.extensions().get::<AuthOutcome>().cloned().unwrap_or(AuthOutcome::Anonymous);
    if let Some(limiter) = request.extensions().get::<RateLimiter>()
        && let Err(retry) = limit(limiter, tier, &request, &outcome)
    {
        return too_many(retry).into_response();
    }
    if access == Access::Public {
        return next.run(request).await;
    }
    let principal = match outcome {
        AuthOutcome::Authenticated(principal) => principal,
        AuthOutcome::Anonymous => return unauthenticated(&AuthError::Missing).into_response(),
        AuthOutcome::Refused(error) => return unauthenticated(&error).into_response(),
        AuthOutcome::Throttled(retry) => return too_many(retry).into_response(),
    };
    if let Access::Permission(permission) = access
        && !principal.can(permission)
    {
        let refusal = platform::access::Forbidden::missing(permission);
        return ApiError::new(ErrorCode::FORBIDDEN, refusal.message()).into_response();
    }
    next.run(request).await
}

fn limit(
    limiter: &RateLimiter,
    tier: Tier,
    request: &Request,
    outcome: &AuthOutcome,
) -> Result<(), RetryAfter> {
    if let Some(ClientAddr(client)) = request.extensions().get::<ClientAddr>() {
        limiter.check(LimitKey::Ip(tier, *client))?;
    }
    if let AuthOutcome::Authenticated(principal) = outcome {
        let key = principal.rate_key().to_string();
        limiter.check(LimitKey::Principal(tier, &key))?;
    }
    Ok(())
}

pub fn too_many(retry: RetryAfter) -> ApiError {
    ApiError::new(
        ErrorCode::RATE_LIMITED,
        format!("Too many requests; retry in {} second(s).", retry.seconds),
    )
    .with_retry_after(retry.seconds)
}

/// The response for a request whose credential was missing or refused.
pub fn unauthenticated(error: &AuthError) -> ApiError {
    match error {
        AuthError::Missing => ApiError::new(
            ErrorCode::UNAUTHENTICATED,
            "Send Authorization: Bearer <access token or API key>.",
        ),
        AuthError::Expired => {
            ApiError::new(ErrorCode::TOKEN_EXPIRED, "The access token has expired; refresh it.")
        }
        AuthError::Invalid => {
            ApiError::new(ErrorCode::UNAUTHENTICATED, "The credential is not valid.")
        }
        AuthError::TenantOverrideRefused => ApiError::new(
            ErrorCode::FORBIDDEN,
            "X-Tenant-Id must name an existing tenant and is only allowed to global administrators.",
        ),
        AuthError::Unexpected(cause) => ApiError::internal(anyhow::anyhow!("{cause:#}")),
    }
}
