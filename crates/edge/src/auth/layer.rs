//! The authentication layer: runs for every request, never rejects by itself (public routes must
//! work with a stale token), and records what it found for `guard` and the handlers.
//!
//! Guessed API keys cost the database a lookup each, so each client address has a budget of
//! invalid credentials (`failed_credentials_per_ip`): once it is spent, the address's API keys
//! that are not already known in memory are refused (`Throttled`) before they are looked up,
//! and `enforce` answers 429. Access tokens and known keys still work, so one guessing machine
//! behind a NAT does not lock its colleagues out.

use super::CredentialBudget;
use crate::middleware::client_addr::ClientAddr;
use crate::rate_limit::{LimitKey, RetryAfter};
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
    /// The client spent its budget of invalid credentials: this one was not checked.
    Throttled(RetryAfter),
}

pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    // Owned copies: a borrowed request cannot be held across the await (its body is not Sync).
    let bearer = bearer(&request).map(str::to_string);
    let tenant = request.headers().get(TENANT_HEADER).map(|v| v.to_str().map(str::to_string));
    let client = request.extensions().get::<ClientAddr>().map(|c| c.0);
    let budget = client.map(LimitKey::FailedCredentials);
    let identity = &state.services.identity;
    let outcome = match (budget.map(|key| state.limiter.peek(key)), bearer.as_deref()) {
        (Some(Err(retry)), Some(bearer)) if identity.needs_lookup(bearer) => {
            AuthOutcome::Throttled(retry)
        }
        _ => outcome(&state, bearer.clone(), tenant).await,
    };
    if let (AuthOutcome::Refused(error), Some(key), Some(bearer)) = (&outcome, budget, &bearer)
        && spends_budget(bearer, error)
    {
        let _ = state.limiter.check(key);
    }
    if let AuthOutcome::Authenticated(principal) = &outcome {
        tracing::Span::current().record("tenant_id", tracing::field::display(principal.tenant));
    }
    request.extensions_mut().insert(outcome);
    request.extensions_mut().insert(CredentialBudget::new(state.limiter.clone(), client));
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

/// Whether a refusal counts against the client's budget: an API key (whose check costs a lookup)
/// that is not ours or no longer valid. Refused access tokens cost no query (their signature is
/// checked first), and a failure on our side is not the client's.
fn spends_budget(bearer: &str, error: &AuthError) -> bool {
    identity::credentials::looks_like_api_key(bearer) && matches!(error, AuthError::Invalid)
}

fn bearer(request: &Request) -> Option<&str> {
    let value = request.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}
