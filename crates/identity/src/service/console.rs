//! What the web console needs beyond the API's sessions: renewing the access token its cookie
//! carries while the session is in use, and the session's CSRF token.
//!
//! A console session is an ordinary token family (so logout, "end every session", blocking a
//! member and tenant suspension end it exactly as they end an API session) whose access token
//! lives `console_idle_timeout` and is renewed, never past `console_max_age` from the login. It
//! must not hand out a refresh token: the console has nowhere safe to keep one.

use super::Identity;
use crate::error::AuthError;
use crate::store::auth;
use chrono::Utc;
use platform::access::{Credential, Principal};
use platform::{Secret, TenantId};
use subtle::ConstantTimeEq;

/// A renewed access token for the console's cookie, and its lifetime in seconds.
#[derive(Debug)]
pub struct Renewed {
    pub access_token: Secret<String>,
    pub expires_in: i64,
}

impl Identity {
    /// A fresh access token for `principal`'s console session when more than half of the current
    /// one's life is spent; `None` when it is not yet due, or when the session reached its
    /// maximum age (the token then runs out and the user logs in again).
    pub async fn renew_console_session(
        &self,
        principal: &Principal,
    ) -> Result<Option<Renewed>, AuthError> {
        let Credential::AccessToken { session, expires_at, .. } = principal.credential else {
            return Ok(None);
        };
        let (Some(user), Some(role), None) =
            (principal.user, principal.role, principal.acting_from)
        else {
            return Ok(None);
        };
        let settings = &self.inner.settings;
        let now = Utc::now();
        let ttl = settings.console_idle_timeout;
        if expires_at - now.timestamp() > ttl.num_seconds() / 2 {
            return Ok(None);
        }
        let Some(state) = self.session(principal.tenant, user, session).await? else {
            return Ok(None);
        };
        if !state.live || state.started_at + settings.console_max_age <= now + ttl {
            return Ok(None);
        }
        let (token, _) =
            self.inner.jwt.issue(user, principal.tenant, role.as_str(), session, ttl, now);
        Ok(Some(Renewed { access_token: Secret::new(token), expires_in: ttl.num_seconds() }))
    }

    /// The CSRF token of `principal`'s session: a keyed digest of the session id, the same for
    /// the session's life and different for every session. `None` for credentials that are not
    /// sessions (API keys are never sent by a browser on their own).
    pub fn csrf_token(&self, principal: &Principal) -> Option<String> {
        let Credential::AccessToken { session, .. } = principal.credential else { return None };
        // Key texts never contain NUL, so this input cannot collide with an API key digest.
        let digest = self.inner.pepper.digest(&format!("console-csrf\0{session}"));
        Some(hex::encode(&digest[..20]))
    }

    /// The tenants `principal`'s user may switch to (id, name, slug), by name.
    pub async fn switchable_tenants(
        &self,
        principal: &Principal,
    ) -> Result<Vec<(TenantId, String, String)>, AuthError> {
        let Some(user) = principal.user else { return Ok(Vec::new()) };
        let mut tx = self.db().pool().begin().await?;
        let tenants = auth::active_tenants_named(&mut tx, user).await?;
        tx.commit().await?;
        Ok(tenants)
    }

    /// Whether `presented` is `principal`'s CSRF token, compared in constant time.
    pub fn csrf_matches(&self, principal: &Principal, presented: &str) -> bool {
        let Some(expected) = self.csrf_token(principal) else { return false };
        expected.as_bytes().ct_eq(presented.as_bytes()).into()
    }
}
