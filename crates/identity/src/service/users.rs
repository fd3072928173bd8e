//! Members of the caller's tenant: list, show, change role, block, soft-delete and restore.
//! People join a tenant by accepting an invitation (`invitations`), never by an administrator
//! naming their address.
//!
//! Everything here acts on the membership in the caller's tenant only, never on the global
//! account (its email, name, password or global-admin flag), so that one tenant's administrator
//! cannot affect the user elsewhere; a global administrator may rename an account. Protected
//! users (the seeded global administrators) cannot be blocked, deleted or demoted. The access
//! policy (`access`) applies to every change: nobody grants what they do not hold, nobody
//! changes their own role or their own account through a key, every tenant keeps an admin. A
//! user of another tenant is not found.

use super::Identity;
use super::access;
use super::changes::{Change, announce};
use crate::error::{Conflict, ManageError};
use crate::model::{MemberRow, MembershipStatus, parse_name};
use crate::store::members::{self, MemberFilter};
use crate::store::{sessions, users};
use platform::access::{Permission, Principal, Role};
use platform::audit::{self, RequestContext};
use platform::{FieldCode, Page, PageRequest, TenantTx, UserId};
use serde_json::json;

/// `PATCH /v1/users/{id}`: what to change; `None` keeps the current value.
#[derive(Debug, Default)]
pub struct MemberChanges<'a> {
    pub role: Option<&'a str>,
    pub display_name: Option<&'a str>,
}

/// `GET /v1/users`: the filters, as the client sent them.
#[derive(Debug, Default)]
pub struct MemberQuery<'a> {
    pub status: Option<&'a str>,
    pub role: Option<&'a str>,
}

impl Identity {
    /// The members of the caller's tenant, in user-id order.
    pub async fn list_members(
        &self,
        principal: &Principal,
        query: MemberQuery<'_>,
        page: &PageRequest,
    ) -> Result<Page<MemberRow>, ManageError> {
        principal.require(Permission::USERS_VIEW)?;
        let filter = MemberFilter {
            status: query.status.map(|s| parse_status("status", s)).transpose()?,
            role: query.role.map(|r| parse_role("role", r)).transpose()?,
        };
        let after: Option<UserId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = members::list(&mut tx, filter, after, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |member| member.id))
    }

    /// One member of the caller's tenant; anyone else is not found.
    pub async fn member(
        &self,
        principal: &Principal,
        user: UserId,
    ) -> Result<MemberRow, ManageError> {
        principal.require(Permission::USERS_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let member = members::get(&mut tx, user).await?;
        tx.commit().await?;
        member.ok_or(ManageError::NotFound("user"))
    }

    /// Changes a member's role in the caller's tenant and/or, for a global administrator, the
    /// account's display name.
    pub async fn update_member(
        &self,
        context: &RequestContext,
        principal: &Principal,
        user: UserId,
        changes: MemberChanges<'_>,
    ) -> Result<MemberRow, ManageError> {
        principal.require(Permission::USERS_MANAGE)?;
        let role = changes.role.map(|r| parse_role("role", r)).transpose()?;
        let display_name =
            changes.display_name.map(|n| parse_name("display_name", n)).transpose()?;
        let tenant = principal.tenant;
        let mut tx = self.db().tenant_tx(tenant).await?;
        let current =
            members::get_for_update(&mut tx, user).await?.ok_or(ManageError::NotFound("user"))?;
        let role = role.filter(|r| *r != current.role);
        let display_name = display_name.filter(|n| *n != current.display_name);
        if role.is_some() && current.is_protected && current.role == Role::GLOBAL_ADMIN {
            return Err(protected("demoted"));
        }
        access::may_change_member(principal, user, role.is_some())?;
        if let Some(role) = role {
            access::may_change_holder_of(principal, current.role)?;
            access::may_assign_role(&mut tx, principal, role).await?;
            access::keeps_an_admin(&mut tx, &current, role, current.status).await?;
        }
        if display_name.is_some() && !principal.is_global_admin {
            return Err(ManageError::forbidden(
                "An account's name is its owner's to change (PATCH /v1/auth/me); a tenant \
                 administrator changes only the membership.",
            ));
        }
        if role.is_none() && display_name.is_none() {
            return Ok(current);
        }
        let mut summary = json!({ "email": current.email });
        if let Some(role) = role {
            members::set_role(&mut tx, user, role).await?;
            summary["role"] = json!({ "from": current.role.as_str(), "to": role.as_str() });
        }
        if let Some(name) = &display_name {
            users::set_display_name(&mut tx, user, name).await?;
            summary["display_name"] = json!({ "from": current.display_name, "to": name });
        }
        let member = members::get(&mut tx, user).await?.ok_or(ManageError::NotFound("user"))?;
        self.finish(tx, context, principal, user, "user.update", summary).await?;
        Ok(member)
    }

    /// Blocks (suspends), soft-deletes or restores a member in the caller's tenant; blocking and
    /// deleting also end the member's sessions there. Asking for the status the member already
    /// has changes nothing.
    pub async fn set_member_status(
        &self,
        context: &RequestContext,
        principal: &Principal,
        user: UserId,
        status: MembershipStatus,
    ) -> Result<MemberRow, ManageError> {
        principal.require(Permission::USERS_MANAGE)?;
        let action = match status {
            MembershipStatus::Active => "user.restore",
            MembershipStatus::Blocked => "user.block",
            MembershipStatus::Deleted => "user.delete",
        };
        let tenant = principal.tenant;
        let mut tx = self.db().tenant_tx(tenant).await?;
        let current =
            members::get_for_update(&mut tx, user).await?.ok_or(ManageError::NotFound("user"))?;
        access::may_change_member(principal, user, false)?;
        if status != MembershipStatus::Active {
            if current.is_protected {
                return Err(protected(status.as_str()));
            }
            if principal.user == Some(user) {
                return Err(ManageError::forbidden("you cannot block or delete yourself"));
            }
        }
        access::may_change_holder_of(principal, current.role)?;
        access::keeps_an_admin(&mut tx, &current, current.role, status).await?;
        if current.status == status {
            return Ok(current);
        }
        members::set_status(&mut tx, user, status).await?;
        let ended_sessions = match status {
            MembershipStatus::Active => 0,
            _ => sessions::revoke_user(&mut tx, user).await?,
        };
        let summary = json!({
            "email": current.email,
            "status": { "from": current.status.as_str(), "to": status.as_str() },
            "ended_sessions": ended_sessions,
        });
        self.finish(tx, context, principal, user, action, summary).await?;
        Ok(MemberRow { status, ..current })
    }

    /// Writes the audit row, announces the membership change, commits and drops stale caches.
    async fn finish(
        &self,
        mut tx: TenantTx,
        context: &RequestContext,
        principal: &Principal,
        user: UserId,
        action: &'static str,
        summary: serde_json::Value,
    ) -> Result<(), ManageError> {
        let entry = principal.audit(context, action, "user", Some(user.to_string()), summary);
        audit::record(&mut tx, &entry).await?;
        let change = Change::Member(tx.tenant(), user);
        announce(&mut tx, &change).await?;
        tx.commit().await?;
        self.forget(&change);
        Ok(())
    }
}

fn protected(what: &str) -> ManageError {
    ManageError::conflict(
        Conflict::UserProtected,
        format!("this user is protected and cannot be {what}"),
    )
}

pub(crate) fn parse_role(field: &'static str, text: &str) -> Result<Role, ManageError> {
    Role::parse(text.trim()).ok_or_else(|| {
        let known: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        ManageError::invalid(field, FieldCode::INVALID_ROLE, format!("one of {}", known.join(", ")))
    })
}

fn parse_status(field: &'static str, text: &str) -> Result<MembershipStatus, ManageError> {
    MembershipStatus::parse(text.trim()).ok_or_else(|| {
        ManageError::invalid(field, FieldCode::INVALID_STATUS, "one of active, blocked, deleted")
    })
}
