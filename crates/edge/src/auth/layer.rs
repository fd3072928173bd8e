//! The authentication layer: runs for every request, never rejects by itself (public routes must
//! work with a stale token), and records what it found for `guard` and the handlers.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use identity::AuthError;
use platform::TenantId;
use platform::access::Principal;
use std::sync::Arc;

pub const TENANT_HEADER: &str = "x-tenant-id";

/// What authentication concluded about this request.
#[derive(Clone, Debug)]
pub enum AuthOutcome {
    Anonymous,
    Authenticated(Arc<Principal>),
    Refused(Arc<AuthError>),
}

pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    // Owned copies: a borrowed request cannot be held across the await (its body is not Sync).
    let bearer = bearer(&request).map(str::to_string);
    let tenant = request.headers().get(TENANT_HEADER).map(|v| v.to_str().map(str::to_string));
    let outcome = outcome(&state, bearer, tenant).await;
    if let AuthOutcome::Authenticated(principal) = &outcome {
        tracing::Span::current().record("tenant_id", tracing::field::display(principal.tenant));
    }
    request.extensions_mut().insert(outcome);
    // For `enforce`, which runs after routing, where route layers have no state.
    request.extensions_mut().insert(state.limiter.clone());
    next.run(request).await
}

async fn outcome(
    state: &AppState,
    bearer: Option<String>,
    tenant: Option<Result<String, axum::http::header::ToStrError>>,
) -> AuthOutcome {
    let Some(bearer) = bearer else { return AuthOutcome::Anonymous };
    let tenant = match tenant.map(|text| text.ok().and_then(|t| TenantId::parse(&t).ok())) {
        None => None,
        Some(Some(tenant)) => Some(tenant),
        Some(None) => return AuthOutcome::Refused(Arc::new(AuthError::TenantOverrideRefused)),
    };
    match state.services.identity.authenticate(&bearer, tenant).await {
        Ok(principal) => AuthOutcome::Authenticated(Arc::new(principal)),
        Err(error) => AuthOutcome::Refused(Arc::new(error)),
    }
}

fn bearer(request: &Request) -> Option<&str> {
    let value = request.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}
