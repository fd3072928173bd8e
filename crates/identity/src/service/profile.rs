//! `/me` and self-registration.

use super::Identity;
use crate::error::ManageError;
use crate::model::{Email, parse_name};
use crate::password::NewPassword;
use crate::store::auth;
use platform::access::{Principal, Role};
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

    /// Creates an account with no tenant (an administrator adds it to one). Answers the same
    /// whether or not the email is taken, so that registration cannot be used to probe accounts.
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
}
