//! Extractors for handlers behind `guard`: `Auth` (the principal) and `Context` (request id,
//! source address and user agent for audit rows).

use super::access::unauthenticated;
use super::layer::AuthOutcome;
use crate::error::ApiError;
use crate::middleware::client_addr::ClientAddr;
use crate::middleware::request_id::RequestId;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use identity::AuthError;
use platform::access::Principal;
use platform::audit::RequestContext;
use std::sync::Arc;

/// The authenticated principal of this request.
#[derive(Clone, Debug)]
pub struct Auth(pub Arc<Principal>);

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<AuthOutcome>() {
            Some(AuthOutcome::Authenticated(principal)) => Ok(Auth(principal.clone())),
            Some(AuthOutcome::Refused(error)) => Err(unauthenticated(error)),
            Some(AuthOutcome::Throttled(retry)) => Err(super::access::too_many(*retry)),
            _ => Err(unauthenticated(&AuthError::Missing)),
        }
    }
}

/// Where the request came from, for the audit log.
#[derive(Clone, Debug)]
pub struct Context(pub RequestContext);

impl<S: Send + Sync> FromRequestParts<S> for Context {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(512).collect());
        Ok(Context(RequestContext {
            request_id: parts.extensions.get::<RequestId>().map(|id| id.0.clone()),
            source_ip: parts.extensions.get::<ClientAddr>().map(|c| c.0.to_string()),
            user_agent,
        }))
    }
}
