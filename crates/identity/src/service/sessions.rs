//! Sessions: login, refresh-token rotation with replay detection, logout, tenant switching.
//!
//! A login starts a token family: one refresh token at a time is live; refreshing spends it and
//! issues the next. Presenting a spent token means it was copied, so the whole family is revoked.
//! Access tokens carry the family id (`sid`) so that logout ends exactly this session.

use super::Identity;
use super::changes::{Change, announce};
use crate::credentials::RefreshToken;
use crate::error::{LoginError, RefreshError};
use crate::store::{auth, sessions};
use chrono::{DateTime, Utc};
use platform::access::{Credential, Principal, Role};
use platform::audit::{self, Actor, AuditEntry, RequestContext};
use platform::{Secret, TenantId, TenantTx, UserId};
use serde_json::json;
use uuid::Uuid;

/// Who a session is for: API clients get short access tokens and refresh them; the console keeps
/// one access token in its cookie and renews it while the session is in use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionKind {
    Api,
    Console,
}

/// What a successful login, refresh or tenant switch hands the client.
#[derive(Debug)]
pub struct TokenPair {
    pub access_token: Secret<String>,
    pub refresh_token: Secret<String>,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

impl Identity {
    /// Logs a user in to `tenant` (id or slug; default: their first active tenant).
    #[tracing::instrument(skip(self, context, email, password))]
    pub async fn login(
        &self,
        context: &RequestContext,
        email: &str,
        password: &Secret<String>,
        tenant: Option<&str>,
        kind: SessionKind,
    ) -> Result<TokenPair, LoginError> {
        let account = email.trim().to_ascii_lowercase();
        let client = context.source_ip.as_deref().and_then(|ip| ip.parse().ok());
        let throttle = &self.inner.throttle;
        throttle
            .admit(&account, client)
            .map_err(|wait| LoginError::Throttled { retry_after: wait })?;
        let mut conn = self.db().pool().acquire().await?;
        let user = auth::user_by_email(&mut conn, &account).await?;
        drop(conn);
        // Always verify, against a dummy hash when the user is unknown, so that timing does not
        // tell which emails exist.
        let hash = user.as_ref().and_then(|u| u.password_hash.as_deref());
        let verified = self.hasher().verify(password.expose(), hash).await?;
        let user = match user {
            Some(user) if verified && user.status == "active" => user,
            _ => {
                throttle.failed(&account, client);
                return Err(LoginError::InvalidCredentials);
            }
        };
        throttle.succeeded(&account, client);
        if user.email_verified_at.is_none() {
            return Err(LoginError::EmailNotVerified);
        }
        let tenant =
            self.choose_tenant(user.id, tenant).await?.ok_or(LoginError::InvalidCredentials)?;
        let (role, _) = self
            .membership(tenant, user.id)
            .await
            .map_err(|e| anyhow::anyhow!(e))?
            .ok_or(LoginError::InvalidCredentials)?;
        let mut tx = self.db().tenant_tx(tenant).await?;
        let pair = self.start_session(&mut tx, user.id, role, kind).await?;
        let entry = AuditEntry {
            actor: Actor::User(user.id),
            action: "session.login",
            target_type: "user",
            target_id: Some(user.id.to_string()),
            context,
            summary: json!({ "email": user.email, "console": kind == SessionKind::Console }),
        };
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(pair)
    }

    /// Spends `presented` and issues the next pair of its family; a spent or revoked token
    /// revokes the family.
    #[tracing::instrument(skip(self, context, presented))]
    pub async fn refresh(
        &self,
        context: &RequestContext,
        presented: &str,
    ) -> Result<TokenPair, RefreshError> {
        let token = RefreshToken::parse(presented).map_err(|_| RefreshError::Invalid)?;
        let tenant = token.tenant();
        if self.tenant_status(tenant).await.map_err(|e| anyhow::anyhow!(e))?.is_none() {
            return Err(RefreshError::Invalid);
        }
        let mut tx = self.db().tenant_tx(tenant).await?;
        let record = sessions::refresh_for_update(&mut tx, &token.hash())
            .await?
            .ok_or(RefreshError::Invalid)?;
        if record.spent_at.is_some() || record.revoked_at.is_some() {
            let revoked = sessions::revoke_family(&mut tx, record.family_id).await?;
            let ended = Change::Session(tenant, record.family_id);
            announce(&mut tx, &ended).await?;
            let entry = AuditEntry {
                actor: Actor::User(record.user_id),
                action: "session.refresh_reuse",
                target_type: "token_family",
                target_id: Some(record.family_id.to_string()),
                context,
                summary: json!({ "revoked_tokens": revoked, "outcome": "family revoked" }),
            };
            audit::record(&mut tx, &entry).await?;
            tx.commit().await?;
            self.forget(&ended);
            tracing::warn!(family = %record.family_id, "spent refresh token presented; family revoked");
            return Err(RefreshError::Invalid);
        }
        if record.expires_at <= Utc::now() {
            return Err(RefreshError::Invalid);
        }
        let user = self.user(record.user_id).await.map_err(|e| anyhow::anyhow!(e))?;
        let role = match (
            &user,
            self.membership(tenant, record.user_id).await.map_err(|e| anyhow::anyhow!(e))?,
        ) {
            (Some(user), Some((role, status)))
                if user.status == "active"
                    && status == "active"
                    && record.created_at >= user.sessions_valid_after =>
            {
                role
            }
            _ => return Err(RefreshError::Invalid),
        };
        if self.tenant_status(tenant).await.map_err(|e| anyhow::anyhow!(e))?.as_deref()
            != Some("active")
        {
            return Err(RefreshError::Invalid);
        }
        sessions::spend(&mut tx, record.id).await?;
        let pair =
            self.issue(&mut tx, record.user_id, role, record.family_id, SessionKind::Api).await?;
        let entry = AuditEntry {
            actor: Actor::User(record.user_id),
            action: "session.refresh",
            target_type: "token_family",
            target_id: Some(record.family_id.to_string()),
            context,
            summary: json!({}),
        };
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(pair)
    }

    /// Ends the principal's session: its access token is denied from now on and its refresh
    /// family revoked.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn logout(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> Result<(), RefreshError> {
        let Credential::AccessToken { jti, expires_at, session } = principal.credential else {
            return Err(RefreshError::Invalid);
        };
        let expires_at = DateTime::from_timestamp(expires_at, 0).unwrap_or_else(Utc::now);
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        sessions::revoke_access_token(&mut tx, jti, expires_at).await?;
        // A global administrator acting in another tenant has no session there.
        let revoked = match principal.acting_from {
            None => sessions::revoke_family(&mut tx, session).await?,
            Some(_) => 0,
        };
        announce(&mut tx, &Change::AccessToken(jti)).await?;
        let ended = Change::Session(principal.acting_from.unwrap_or(principal.tenant), session);
        announce(&mut tx, &ended).await?;
        let entry = principal.audit(
            context,
            "session.logout",
            "token_family",
            Some(session.to_string()),
            json!({ "revoked_refresh_tokens": revoked }),
        );
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        self.forget(&Change::AccessToken(jti));
        self.forget(&ended);
        Ok(())
    }

    /// A new token pair in another tenant of the same user (a new family there).
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn switch_tenant(
        &self,
        context: &RequestContext,
        principal: &Principal,
        target: &str,
        kind: SessionKind,
    ) -> Result<Option<TokenPair>, LoginError> {
        let Some(user) = principal
            .user
            .filter(|_| matches!(principal.credential, Credential::AccessToken { .. }))
        else {
            return Ok(None);
        };
        let Some(tenant) = self.choose_tenant(user, Some(target)).await? else { return Ok(None) };
        let Some((role, _)) =
            self.membership(tenant, user).await.map_err(|e| anyhow::anyhow!(e))?
        else {
            return Ok(None);
        };
        let mut tx = self.db().tenant_tx(tenant).await?;
        let pair = self.start_session(&mut tx, user, role, kind).await?;
        let entry = principal.audit(
            context,
            "session.switch_tenant",
            "tenant",
            Some(tenant.to_string()),
            json!({ "from_tenant_id": principal.tenant }),
        );
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(Some(pair))
    }

    /// The active tenant of `user` named by `wanted` (id or slug), or their first one.
    async fn choose_tenant(
        &self,
        user: UserId,
        wanted: Option<&str>,
    ) -> Result<Option<TenantId>, LoginError> {
        let mut tx = self.db().pool().begin().await?;
        let tenants = auth::active_tenants_of(&mut tx, user).await?;
        let chosen = match wanted {
            None => tenants.first().copied(),
            Some(text) => auth::tenant_by_id_or_slug(&mut tx, text.trim())
                .await?
                .filter(|t| tenants.contains(t)),
        };
        tx.commit().await?;
        Ok(chosen)
    }

    pub(crate) async fn start_session(
        &self,
        tx: &mut TenantTx,
        user: UserId,
        role: Role,
        kind: SessionKind,
    ) -> sqlx::Result<TokenPair> {
        self.issue(tx, user, role, Uuid::now_v7(), kind).await
    }

    /// Issues an access token and the family's next refresh token.
    async fn issue(
        &self,
        tx: &mut TenantTx,
        user: UserId,
        role: Role,
        family: Uuid,
        kind: SessionKind,
    ) -> sqlx::Result<TokenPair> {
        let settings = &self.inner.settings;
        let now = Utc::now();
        let tenant = tx.tenant();
        let refresh = RefreshToken::generate(tenant);
        // A console session has no refresh token to hand out, but its family needs a row: it is
        // what logout, "end every session" and blocking a member revoke.
        let (ttl, refresh_until) = match kind {
            SessionKind::Api => (settings.access_ttl, now + settings.refresh_ttl),
            SessionKind::Console => (settings.console_idle_timeout, now + settings.console_max_age),
        };
        sessions::insert_refresh(tx, family, user, &refresh.hash(), refresh_until).await?;
        let (access, _claims) = self.inner.jwt.issue(user, tenant, role.as_str(), family, ttl, now);
        Ok(TokenPair {
            access_token: Secret::new(access),
            refresh_token: Secret::new(refresh.expose().to_string()),
            expires_in: ttl.num_seconds(),
        })
    }
}
