//! What a user does to their own account: read `/me`, change their name and password, and
//! register (when enabled). Only the account's owner, signed in with a token (never an API
//! key), changes it here; a registered account can do nothing until its address is verified.

use super::Identity;
use super::changes::{Change, announce};
use super::mail::queue_verification;
use crate::error::ManageError;
use crate::model::{Email, parse_name};
use crate::password::NewPassword;
use crate::store::{auth, sessions, users};
use platform::Secret;
use platform::access::{Credential, Principal, Role};
use platform::audit::{self, Actor, AuditEntry, RequestContext};
use platform::{TenantId, UserId};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Serialize)]
pub struct Profile {
    pub user_id: Option<UserId>,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub tenant_id: TenantId,
    pub tenant_name: String,
    pub tenant_slug: String,
    pub role: Option<Role>,
    pub permissions: Vec<&'static str>,
    pub is_global_admin: bool,
    /// Set when a global administrator acts in this tenant from their own.
    pub acting_from_tenant_id: Option<TenantId>,
}

impl Identity {
    /// Who the principal is and what it may do. Any authenticated principal reads its own.
    pub async fn profile(&self, principal: &Principal) -> Result<Profile, ManageError> {
        let mut conn = self.db().pool().acquire().await?;
        let user = match principal.user {
            Some(id) => auth::user_by_id(&mut conn, id).await?,
            None => None,
        };
        let (tenant_name, tenant_slug): (String, String) =
            sqlx::query_as("select name, slug from tenants where id = $1")
                .bind(principal.tenant)
                .fetch_one(&mut *conn)
                .await?;
        Ok(Profile {
            user_id: principal.user,
            email: user.as_ref().map(|u| u.email.clone()),
            display_name: user.map(|u| u.display_name),
            tenant_id: principal.tenant,
            tenant_name,
            tenant_slug,
            role: principal.role,
            permissions: principal.permissions.iter().map(|p| p.as_str()).collect(),
            is_global_admin: principal.is_global_admin,
            acting_from_tenant_id: principal.acting_from,
        })
    }

    /// Creates an account with no tenant (an invitation adds it to one), unverified until its
    /// owner opens the mailed link. Answers the same whether or not the email is taken, so that
    /// registration cannot be used to probe accounts; a taken address gets no mail.
    pub async fn register(
        &self,
        context: &RequestContext,
        email: &str,
        password: &str,
        display_name: Option<&str>,
    ) -> Result<(), ManageError> {
        if !self.settings().registration_enabled {
            return Err(ManageError::RegistrationDisabled);
        }
        let email = Email::parse(email)?;
        let password = NewPassword::parse(password, email.as_str())
            .map_err(|e| ManageError::Invalid(e.invalid("password")))?;
        let display_name = display_name.map(|n| parse_name("display_name", n)).transpose()?;
        // Hash even when the email is taken, so both answers take the same time.
        let hash = self.hasher().hash(&password).await?;
        let id = UserId::generate();
        let mut tx = self.db().tenant_tx(TenantId::PLATFORM).await?;
        let inserted = sqlx::query(
            "insert into users (id, email, display_name, password_hash) values ($1, $2, $3, $4)
             on conflict ((lower(email))) do nothing",
        )
        .bind(id)
        .bind(email.as_str())
        .bind(display_name.unwrap_or_default())
        .bind(hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 1 {
            queue_verification(&mut tx, id, VERIFICATION_TTL).await?;
            let entry = AuditEntry {
                actor: Actor::User(id),
                action: "user.register",
                target_type: "user",
                target_id: Some(id.to_string()),
                context,
                summary: json!({ "email": email.as_str() }),
            };
            audit::record(&mut tx, &entry).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Changes the principal's own display name.
    pub async fn update_profile(
        &self,
        context: &RequestContext,
        principal: &Principal,
        display_name: &str,
    ) -> Result<Profile, ManageError> {
        let user = own_account(principal)?;
        let name = parse_name("display_name", display_name)?;
        let mut tx = self.db().tenant_tx(TenantId::PLATFORM).await?;
        users::set_display_name(&mut tx, user, &name).await?;
        let entry = principal.audit(
            context,
            "user.update_profile",
            "user",
            Some(user.to_string()),
            json!({ "display_name": name }),
        );
        audit::record(&mut tx, &entry).await?;
        announce(&mut tx, &Change::User(user)).await?;
        tx.commit().await?;
        self.forget(&Change::User(user));
        self.profile(principal).await
    }

    /// Changes the principal's own password, given the current one; every other session of the
    /// user (in every tenant) ends, this one goes on.
    pub async fn change_password(
        &self,
        context: &RequestContext,
        principal: &Principal,
        current: &Secret<String>,
        new: &Secret<String>,
    ) -> Result<(), ManageError> {
        let user = own_account(principal)?;
        let Credential::AccessToken { session, .. } = principal.credential else {
            return Err(ManageError::forbidden("Sign in with your password to change it."));
        };
        let mut conn = self.db().pool().acquire().await?;
        let account =
            auth::user_by_id(&mut conn, user).await?.ok_or(ManageError::NotFound("user"))?;
        drop(conn);
        if !self.hasher().verify(current.expose(), account.password_hash.as_deref()).await? {
            return Err(ManageError::WrongPassword);
        }
        let password = NewPassword::parse(new.expose(), &account.email)
            .map_err(|e| ManageError::Invalid(e.invalid("password")))?;
        let hash = self.hasher().hash(&password).await?;
        let mut tx = self.db().tenant_tx(TenantId::PLATFORM).await?;
        users::set_password_keeping_sessions(&mut tx, user, &hash).await?;
        let entry = principal.audit(
            context,
            "user.change_password",
            "user",
            Some(user.to_string()),
            json!({}),
        );
        audit::record(&mut tx, &entry).await?;
        let home = principal.acting_from.unwrap_or(principal.tenant);
        for tenant in self.tenants_of(&mut tx, user).await? {
            tx.switch_tenant(tenant).await?;
            let keep = if tenant == home { session } else { uuid::Uuid::nil() };
            sessions::revoke_user_except(&mut tx, user, keep).await?;
        }
        announce(&mut tx, &Change::User(user)).await?;
        tx.commit().await?;
        self.forget(&Change::User(user));
        Ok(())
    }

    /// Every tenant where `user` has a membership (any status), through `memberships_self`.
    async fn tenants_of(
        &self,
        tx: &mut platform::TenantTx,
        user: UserId,
    ) -> Result<Vec<TenantId>, ManageError> {
        sqlx::query("select set_config('app.user_id', $1, true)")
            .bind(user.to_string())
            .execute(&mut **tx)
            .await?;
        Ok(sqlx::query_scalar("select tenant_id from memberships where user_id = $1")
            .bind(user)
            .fetch_all(&mut **tx)
            .await?)
    }
}

/// How long a registration's verification link works.
const VERIFICATION_TTL: chrono::Duration = chrono::Duration::hours(24);

/// The user acting on their own account: signed in as a user, never through an API key.
fn own_account(principal: &Principal) -> Result<UserId, ManageError> {
    match (&principal.credential, principal.user) {
        (Credential::ApiKey { .. }, _) => {
            Err(ManageError::forbidden("An API key cannot change its owner's account."))
        }
        (_, Some(user)) => Ok(user),
        (_, None) => Err(ManageError::forbidden("Only a user has an account to change.")),
    }
}
