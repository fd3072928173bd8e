//! The client's budget of invalid credentials for credentials checked past the authentication
//! layer: an alert source's token or signature, which the alerts service checks over the body.
//! The layer puts one in every request; a route that checks such a credential asks it first and
//! spends it on a refusal, so a guess costs the same whether it is an API key or a source's
//! token. It must not be spent for failures on our side.

use crate::rate_limit::{LimitKey, RateLimiter, RetryAfter};
use std::net::IpAddr;

/// The failed-credentials budget of the request's client address (`failed_credentials_per_ip`).
#[derive(Clone)]
pub struct CredentialBudget {
    limiter: RateLimiter,
    client: Option<IpAddr>,
}

impl CredentialBudget {
    pub(super) fn new(limiter: RateLimiter, client: Option<IpAddr>) -> Self {
        Self { limiter, client }
    }

    /// `Err` when the budget is spent: refuse the credential without checking it.
    pub fn check(&self) -> Result<(), RetryAfter> {
        match self.client {
            Some(ip) => self.limiter.peek(LimitKey::FailedCredentials(ip)),
            None => Ok(()),
        }
    }

    /// Counts one invalid credential against the budget.
    pub fn spend(&self) {
        if let Some(ip) = self.client {
            let _ = self.limiter.check(LimitKey::FailedCredentials(ip));
        }
    }
}
