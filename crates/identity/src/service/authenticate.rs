//! Turning a bearer credential (access token or API key) into a `Principal`. This runs on every
//! request, so each fact it needs comes from a short-lived cache before it asks the database.

use super::Identity;
use super::access::key_permissions;
use crate::credentials::{PresentedApiKey, TokenError, looks_like_api_key};
use crate::error::AuthError;
use crate::store::sessions::SessionState;
use crate::store::{auth, rbac, sessions};
use chrono::Utc;
use platform::access::{Credential, Permission, PermissionSet, Principal, Role};
use platform::{TenantId, UserId};
use uuid::Uuid;

/// How often at most `last_used_at` of one API key is written.
const TOUCH_EVERY: chrono::Duration = chrono::Duration::seconds(60);

impl Identity {
    /// Authenticates `bearer`; `tenant_override` is the `X-Tenant-Id` header, honoured for global
    /// administrators only.
    pub async fn authenticate(
        &self,
        bearer: &str,
        tenant_override: Option<TenantId>,
    ) -> Result<Principal, AuthError> {
        if looks_like_api_key(bearer) {
            if tenant_override.is_some() {
                return Err(AuthError::TenantOverrideRefused);
            }
            return self.authenticate_api_key(bearer).await;
        }
        self.authenticate_access_token(bearer, tenant_override).await
    }

    /// Whether checking `bearer` may need the database even for a client that presents only
    /// valid credentials: an API key whose record is not in memory. (Access tokens are checked
    /// by their signature first, which costs no query; refused ones never reach the database.)
    pub fn needs_lookup(&self, bearer: &str) -> bool {
        if !looks_like_api_key(bearer) {
            return false;
        }
        let Ok(presented) = PresentedApiKey::parse(bearer) else { return false };
        !matches!(self.inner.caches.api_keys.get(&presented.prefix().to_string()), Some(Some(_)))
    }

    async fn authenticate_access_token(
        &self,
        token: &str,
        tenant_override: Option<TenantId>,
    ) -> Result<Principal, AuthError> {
        let claims = self.inner.jwt.verify(token, Utc::now()).map_err(|e| match e {
            TokenError::Expired => AuthError::Expired,
            _ => AuthError::Invalid,
        })?;
        if self.is_revoked(claims.jti).await? {
            return Err(AuthError::Invalid);
        }
        let user = self.user(claims.sub).await?.ok_or(AuthError::Invalid)?;
        if user.status != "active" {
            return Err(AuthError::Invalid);
        }
        let home = claims.tid;
        // The token lives only as long as its session: a revoked family (logout, a replayed
        // refresh token, a blocked member) or one older than the user's last "end every
        // session" (compared at the database's full precision) ends it at once.
        match self.session(home, user.id, claims.sid).await? {
            Some(session) if session.live && session.started_at >= user.sessions_valid_after => {}
            _ => return Err(AuthError::Invalid),
        }
        if self.tenant_status(home).await?.as_deref() != Some("active") {
            return Err(AuthError::Invalid);
        }
        let (role, status) = self.membership(home, user.id).await?.ok_or(AuthError::Invalid)?;
        if status != "active" {
            return Err(AuthError::Invalid);
        }
        let credential = Credential::AccessToken {
            jti: claims.jti,
            expires_at: claims.exp,
            session: claims.sid,
        };
        match tenant_override.filter(|t| *t != home) {
            None => Ok(Principal {
                user: Some(user.id),
                tenant: home,
                role: Some(role),
                permissions: self.permissions(home, role).await?,
                credential,
                is_global_admin: user.is_global_admin,
                acting_from: None,
            }),
            Some(target) => {
                if !user.is_global_admin || role != Role::GLOBAL_ADMIN {
                    return Err(AuthError::TenantOverrideRefused);
                }
                if self.tenant_status(target).await?.is_none() {
                    return Err(AuthError::TenantOverrideRefused);
                }
                Ok(Principal {
                    user: Some(user.id),
                    tenant: target,
                    role: Some(Role::GLOBAL_ADMIN),
                    permissions: Permission::ALL.iter().copied().collect(),
                    credential,
                    is_global_admin: true,
                    acting_from: Some(home),
                })
            }
        }
    }

    async fn authenticate_api_key(&self, text: &str) -> Result<Principal, AuthError> {
        let presented = PresentedApiKey::parse(text).map_err(|_| AuthError::Invalid)?;
        let record = self.api_key(presented.prefix()).await?.ok_or(AuthError::Invalid)?;
        if !self.inner.pepper.matches(presented.expose(), &record.key_digest) {
            return Err(AuthError::Invalid);
        }
        let now = Utc::now();
        if record.revoked_at.is_some() || record.expires_at.is_some_and(|at| at <= now) {
            return Err(AuthError::Invalid);
        }
        if self.tenant_status(record.tenant_id).await?.as_deref() != Some("active") {
            return Err(AuthError::Invalid);
        }
        let owner = self.key_owner_permissions(&record).await?.ok_or(AuthError::Invalid)?;
        if record.last_used_at.is_none_or(|at| now - at > TOUCH_EVERY) {
            self.touch_api_key(presented.prefix().to_string(), &record, now);
        }
        Ok(Principal {
            user: record.created_by,
            tenant: record.tenant_id,
            role: None,
            permissions: key_permissions(&record.scopes, &owner),
            credential: Credential::ApiKey { id: record.id },
            is_global_admin: false,
            acting_from: None,
        })
    }

    /// What the key's owner may do in the key's tenant now: `None` when the owner is gone,
    /// blocked, no longer an active member, or ended their sessions (password reset,
    /// `revoke-sessions`) after the key was made. A global administrator may do everything in
    /// every tenant, as with `X-Tenant-Id`.
    async fn key_owner_permissions(
        &self,
        record: &auth::ApiKeyRecord,
    ) -> Result<Option<PermissionSet>, AuthError> {
        let Some(owner) = record.created_by else { return Ok(None) };
        let Some(user) = self.user(owner).await? else { return Ok(None) };
        if user.status != "active" || record.created_at < user.sessions_valid_after {
            return Ok(None);
        }
        if user.is_global_admin {
            return Ok(Some(Permission::ALL.iter().copied().collect()));
        }
        match self.membership(record.tenant_id, owner).await? {
            Some((role, status)) if status == "active" => {
                Ok(Some(self.permissions(record.tenant_id, role).await?))
            }
            _ => Ok(None),
        }
    }

    /// Writes `last_used_at` off the request path.
    fn touch_api_key(
        &self,
        prefix: String,
        record: &auth::ApiKeyRecord,
        now: chrono::DateTime<Utc>,
    ) {
        let mut updated = record.clone();
        updated.last_used_at = Some(now);
        self.inner.caches.api_keys.insert(prefix, Some(updated));
        let (identity, tenant, id) = (self.clone(), record.tenant_id, record.id);
        tokio::spawn(async move {
            let result = async {
                let mut tx = identity.db().tenant_tx(tenant).await?;
                auth::touch_api_key(&mut tx, id).await?;
                tx.commit().await?;
                anyhow::Ok(())
            }
            .await;
            if let Err(e) = result {
                tracing::warn!(error = %e, "recording API key use failed");
            }
        });
    }

    pub(crate) async fn is_revoked(&self, jti: Uuid) -> Result<bool, AuthError> {
        if let Some(revoked) = self.inner.caches.revoked.get(&jti) {
            return Ok(revoked);
        }
        let mut conn = self.db().pool().acquire().await?;
        let revoked = sessions::is_access_token_revoked(&mut conn, jti).await?;
        self.inner.caches.revoked.insert(jti, revoked);
        Ok(revoked)
    }

    /// The session (refresh-token family) `family` of `user` in `tenant`.
    pub(crate) async fn session(
        &self,
        tenant: TenantId,
        user: UserId,
        family: Uuid,
    ) -> Result<Option<SessionState>, AuthError> {
        let key = (tenant, user, family);
        if let Some(state) = self.inner.caches.sessions.get(&key) {
            return Ok(state);
        }
        let mut tx = self.db().tenant_tx(tenant).await?;
        let state = sessions::session_state(&mut tx, user, family).await?;
        drop(tx);
        self.inner.caches.sessions.insert(key, state);
        Ok(state)
    }

    pub(crate) async fn user(&self, id: UserId) -> Result<Option<auth::UserRecord>, AuthError> {
        if let Some(user) = self.inner.caches.users.get(&id) {
            return Ok(user);
        }
        let mut conn = self.db().pool().acquire().await?;
        let user = auth::user_by_id(&mut conn, id).await?;
        self.inner.caches.users.insert(id, user.clone());
        Ok(user)
    }

    pub(crate) async fn tenant_status(
        &self,
        tenant: TenantId,
    ) -> Result<Option<String>, AuthError> {
        if let Some(status) = self.inner.caches.tenants.get(&tenant) {
            return Ok(status);
        }
        let mut conn = self.db().pool().acquire().await?;
        let status = auth::tenant_status(&mut conn, tenant).await?;
        self.inner.caches.tenants.insert(tenant, status.clone());
        Ok(status)
    }

    pub(crate) async fn membership(
        &self,
        tenant: TenantId,
        user: UserId,
    ) -> Result<Option<(Role, String)>, AuthError> {
        if let Some(membership) = self.inner.caches.members.get(&(tenant, user)) {
            return Ok(membership);
        }
        let mut tx = self.db().tenant_tx(tenant).await?;
        let membership = auth::membership(&mut tx, user).await?;
        tx.commit().await?;
        self.inner.caches.members.insert((tenant, user), membership.clone());
        Ok(membership)
    }

    /// What `role` may do in `tenant` now (the global administrator's role is locked to all).
    pub(crate) async fn permissions(
        &self,
        tenant: TenantId,
        role: Role,
    ) -> Result<PermissionSet, AuthError> {
        if role.is_locked() {
            return Ok(Permission::ALL.iter().copied().collect());
        }
        if let Some(permissions) = self.inner.caches.roles.get(&(tenant, role)) {
            return Ok(permissions);
        }
        let mut tx = self.db().tenant_tx(tenant).await?;
        let permissions = rbac::permissions_of(&mut tx, role).await?;
        tx.commit().await?;
        self.inner.caches.roles.insert((tenant, role), permissions.clone());
        Ok(permissions)
    }

    async fn api_key(&self, prefix: &str) -> Result<Option<auth::ApiKeyRecord>, AuthError> {
        if let Some(record) = self.inner.caches.api_keys.get(&prefix.to_string()) {
            return Ok(record);
        }
        let mut tx = self.db().pool().begin().await?;
        let record = auth::api_key_by_prefix(&mut tx, prefix).await?;
        tx.commit().await?;
        self.inner.caches.api_keys.insert(prefix.to_string(), record.clone());
        Ok(record)
    }
}
