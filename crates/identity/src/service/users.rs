//! Users and their memberships in the caller's tenant: list, show, add or invite, change role or
//! name, block, soft-delete and restore.
//!
//! Blocking, deleting and restoring act on the membership in the caller's tenant only, never on
//! the global account, so that one tenant's administrator cannot affect the user's other tenants.
//! Protected users (the seeded global administrators) cannot be blocked, deleted or demoted, and
//! only a global administrator grants or takes away the GLOBAL_ADMIN role. A user of another
//! tenant is not found. This file must not return, store or log a password in clear.

use super::Identity;
use super::changes::{Change, announce};
use crate::error::{Conflict, ManageError};
use crate::model::{Email, MemberRow, MembershipStatus, parse_name};
use crate::password::NewPassword;
use crate::store::members::{self, MemberFilter};
use crate::store::{sessions, users};
use platform::access::{Permission, Principal, Role};
use platform::audit::{self, RequestContext};
use platform::{FieldCode, Page, PageRequest, TenantTx, UserId};
use serde_json::json;

/// `POST /v1/users`: who to add, as the client sent it.
#[derive(Debug, Default)]
pub struct NewMember<'a> {
    pub email: &'a str,
    pub role: &'a str,
    pub display_name: Option<&'a str>,
    /// Used only when no user has this email yet; never changes an existing account's password.
    pub password: Option<&'a str>,
}

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

    /// Adds the user with this email to the caller's tenant, creating the account first when
    /// there is none ("invite"). An existing account keeps its name and password.
    pub async fn add_member(
        &self,
        context: &RequestContext,
        principal: &Principal,
        new: NewMember<'_>,
    ) -> Result<MemberRow, ManageError> {
        principal.require(Permission::USERS_MANAGE)?;
        let email = Email::parse(new.email)?;
        let role = parse_role("role", new.role)?;
        let display_name = new.display_name.map(|n| parse_name("display_name", n)).transpose()?;
        // Checked whether or not the account exists, so the answer does not depend on it.
        let password = new
            .password
            .map(|p| NewPassword::parse(p, email.as_str()))
            .transpose()
            .map_err(|e| ManageError::Invalid(e.invalid("password")))?;
        may_touch_global_admin_role(principal, role)?;
        let tenant = principal.tenant;
        let mut conn = self.db().pool().acquire().await?;
        let existing = users::id_by_email(&mut conn, &email).await?;
        drop(conn);
        let hash = match (existing, &password) {
            (None, Some(password)) => Some(self.hasher().hash(password).await?),
            _ => None,
        };
        let mut tx = self.db().tenant_tx(tenant).await?;
        let (user, invited) = match existing {
            Some(user) => (user, false),
            None => {
                let user = UserId::generate();
                let name = display_name.as_deref().unwrap_or_default();
                users::insert_user(&mut tx, user, &email, name, hash.as_deref(), false).await?;
                (user, true)
            }
        };
        users::insert_membership(&mut tx, user, role).await?;
        let member = members::get(&mut tx, user).await?.ok_or(ManageError::NotFound("user"))?;
        let action = if invited { "user.invite" } else { "user.add" };
        let summary = json!({
            "email": member.email,
            "role": role.as_str(),
            "new_account": invited,
            "can_log_in_with_password": invited && hash.is_some(),
        });
        self.finish(tx, context, principal, user, action, summary).await?;
        Ok(member)
    }

    /// Changes a member's role in the caller's tenant and/or the user's display name.
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
        if let Some(role) = role {
            if current.is_protected && current.role == Role::GLOBAL_ADMIN {
                return Err(protected("demoted"));
            }
            may_touch_global_admin_role(principal, role)?;
            may_touch_global_admin_role(principal, current.role)?;
        }
        if display_name.is_some() && current.is_global_admin && !principal.is_global_admin {
            return Err(ManageError::forbidden(
                "only a global administrator renames a global administrator",
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
        if status != MembershipStatus::Active {
            if current.is_protected {
                return Err(protected(status.as_str()));
            }
            if principal.user == Some(user) {
                return Err(ManageError::forbidden("you cannot block or delete yourself"));
            }
        }
        may_touch_global_admin_role(principal, current.role)?;
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

/// Only a global administrator grants the GLOBAL_ADMIN role or changes a member who has it.
fn may_touch_global_admin_role(principal: &Principal, role: Role) -> Result<(), ManageError> {
    match role != Role::GLOBAL_ADMIN || principal.is_global_admin {
        true => Ok(()),
        false => {
            Err(ManageError::forbidden("only a global administrator manages the GLOBAL_ADMIN role"))
        }
    }
}

fn protected(what: &str) -> ManageError {
    ManageError::conflict(
        Conflict::UserProtected,
        format!("this user is protected and cannot be {what}"),
    )
}

fn parse_role(field: &'static str, text: &str) -> Result<Role, ManageError> {
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
