//! `Principal`: who is making this request, in which tenant, with which permissions. Built by
//! identity's authentication and handed to every service call; services check their permission
//! on it and write audit rows through it, so that the actor is always the authenticated one.

use super::Forbidden;
use super::catalog::{Permission, PermissionSet, Role};
use crate::audit::{Actor, AuditEntry, RequestContext};
use crate::{ApiKeyId, TenantId, UserId};
use serde_json::json;
use uuid::Uuid;

/// How the principal proved who it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// `session` is the refresh-token family the token was issued with.
    AccessToken {
        jti: Uuid,
        expires_at: i64,
        session: Uuid,
    },
    ApiKey {
        id: ApiKeyId,
    },
    /// An operator at the console (`palisade admin …`): trusted, audited as the system.
    System,
}

#[derive(Clone, Debug)]
pub struct Principal {
    /// The user behind the request; for an API key, the user who created it (if still known).
    pub user: Option<UserId>,
    pub tenant: TenantId,
    /// The user's role in `tenant`; `None` for API keys, which carry scopes instead.
    pub role: Option<Role>,
    pub permissions: PermissionSet,
    pub credential: Credential,
    pub is_global_admin: bool,
    /// Set when a global administrator acts in another tenant with `X-Tenant-Id`: their own tenant.
    pub acting_from: Option<TenantId>,
}

impl Principal {
    /// The operator running `palisade admin …` in `tenant`, with every permission.
    pub fn system(tenant: TenantId) -> Principal {
        Principal {
            user: None,
            tenant,
            role: Some(Role::GLOBAL_ADMIN),
            permissions: Permission::ALL.iter().copied().collect(),
            credential: Credential::System,
            is_global_admin: true,
            acting_from: None,
        }
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// `can`, as the error services return. Route guards check first; services check again so
    /// that no caller (a job, the CLI, the console, a future route) can skip it.
    pub fn require(&self, permission: Permission) -> Result<(), Forbidden> {
        match self.can(permission) {
            true => Ok(()),
            false => Err(Forbidden::missing(permission)),
        }
    }

    /// Refuses anyone but a global administrator (platform-wide reads and changes).
    pub fn require_global_admin(&self) -> Result<(), Forbidden> {
        match self.is_global_admin {
            true => Ok(()),
            false => Err(Forbidden::new("Only global administrators may do this.")),
        }
    }

    /// The id a rate limiter counts this principal under: the API key, else the user, else the
    /// tenant (the operator).
    pub fn rate_key(&self) -> Uuid {
        match (&self.credential, self.user) {
            (Credential::ApiKey { id }, _) => id.as_uuid(),
            (_, Some(user)) => user.as_uuid(),
            (_, None) => self.tenant.as_uuid(),
        }
    }

    pub fn actor(&self) -> Actor {
        match (&self.credential, self.user) {
            (Credential::ApiKey { id }, _) => Actor::ApiKey(*id),
            (Credential::AccessToken { .. }, Some(user)) => Actor::User(user),
            (Credential::AccessToken { .. } | Credential::System, None) => Actor::System,
            (Credential::System, Some(user)) => Actor::User(user),
        }
    }

    /// An audit entry by this principal. A global administrator acting in another tenant is
    /// recorded with both tenants.
    pub fn audit<'a>(
        &self,
        context: &'a RequestContext,
        action: &'a str,
        target_type: &'a str,
        target_id: Option<String>,
        mut summary: serde_json::Value,
    ) -> AuditEntry<'a> {
        if let (Some(home), Some(object)) = (self.acting_from, summary.as_object_mut()) {
            object.insert(
                "acting_admin".into(),
                json!({ "user_id": self.user, "home_tenant_id": home, "via": "X-Tenant-Id" }),
            );
        }
        AuditEntry { actor: self.actor(), action, target_type, target_id, context, summary }
    }
}
