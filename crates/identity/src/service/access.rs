//! Identity's access policy, each rule in one place, called by every path it concerns:
//!
//! * **A key acts as its owner, at most** (`key_permissions`): a key's permissions on every
//!   request are its scopes intersected with what its owner may do in that tenant right now.
//! * **Nobody grants what they do not hold** (`may_grant`, `may_assign_role`): assigning a role
//!   (inviting, changing a member's role) and editing or resetting the role matrix need every
//!   permission granted; only a global administrator grants GLOBAL_ADMIN.
//! * **Nobody changes their own role, nor their own account through a key**
//!   (`may_change_member`).
//! * **Every tenant keeps an admin** (`keeps_an_admin`): the change that would leave a tenant
//!   without an active TENANT_ADMIN (or GLOBAL_ADMIN) member is refused.
//!
//! It must not write anything; callers hold the transaction.

use crate::error::{Conflict, ManageError};
use crate::model::{MemberRow, MembershipStatus};
use crate::store::{members, rbac};
use platform::TenantTx;
use platform::UserId;
use platform::access::{Credential, Permission, PermissionSet, Principal, Role};

/// What a key may do: its scopes, and nothing its owner may not do now.
pub(crate) fn key_permissions(scopes: &[String], owner: &PermissionSet) -> PermissionSet {
    scopes.iter().filter_map(|s| Permission::parse(s)).filter(|p| owner.contains(p)).collect()
}

/// Refuses a grant of any permission the principal does not hold itself.
pub(crate) fn may_grant(principal: &Principal, granted: &PermissionSet) -> Result<(), ManageError> {
    let lacking: Vec<&str> =
        granted.iter().filter(|p| !principal.can(**p)).map(|p| p.as_str()).collect();
    match lacking.is_empty() {
        true => Ok(()),
        false => Err(ManageError::forbidden(format!(
            "You cannot grant permissions you do not have: {}.",
            lacking.join(", ")
        ))),
    }
}

/// What `role` grants in the transaction's tenant (GLOBAL_ADMIN: everything).
pub(crate) async fn role_grants(
    tx: &mut TenantTx,
    role: Role,
) -> Result<PermissionSet, ManageError> {
    if role.is_locked() {
        return Ok(Permission::ALL.iter().copied().collect());
    }
    Ok(rbac::permissions_of(tx, role).await?)
}

/// Whether the principal may give someone `role` in the transaction's tenant.
pub(crate) async fn may_assign_role(
    tx: &mut TenantTx,
    principal: &Principal,
    role: Role,
) -> Result<(), ManageError> {
    may_change_holder_of(principal, role)?;
    may_grant(principal, &role_grants(tx, role).await?)
}

/// Only a global administrator gives the GLOBAL_ADMIN role, or changes a member who holds it.
pub(crate) fn may_change_holder_of(principal: &Principal, role: Role) -> Result<(), ManageError> {
    match role != Role::GLOBAL_ADMIN || principal.is_global_admin {
        true => Ok(()),
        false => {
            Err(ManageError::forbidden("only a global administrator manages the GLOBAL_ADMIN role"))
        }
    }
}

/// Refuses a change of the principal's own account through an API key, and a change of its own
/// role by any credential.
pub(crate) fn may_change_member(
    principal: &Principal,
    target: UserId,
    changes_role: bool,
) -> Result<(), ManageError> {
    if principal.user != Some(target) {
        return Ok(());
    }
    if matches!(principal.credential, Credential::ApiKey { .. }) {
        return Err(ManageError::forbidden("An API key cannot change its owner's account."));
    }
    match changes_role {
        true => Err(ManageError::forbidden("You cannot change your own role.")),
        false => Ok(()),
    }
}

fn is_admin(role: Role, status: MembershipStatus) -> bool {
    status == MembershipStatus::Active && matches!(role, Role::TENANT_ADMIN | Role::GLOBAL_ADMIN)
}

/// Refuses a change of `member` to (`role`, `status`) that would leave the tenant without an
/// active administrator. Serialized per tenant, so that two administrators demoting each other
/// at once cannot both succeed.
pub(crate) async fn keeps_an_admin(
    tx: &mut TenantTx,
    member: &MemberRow,
    role: Role,
    status: MembershipStatus,
) -> Result<(), ManageError> {
    if !is_admin(member.role, member.status) || is_admin(role, status) {
        return Ok(());
    }
    members::lock_admins(tx).await?;
    if members::count_other_active_admins(tx, member.id).await? > 0 {
        return Ok(());
    }
    Err(ManageError::conflict(
        Conflict::LastTenantAdmin,
        "This is the tenant's last active administrator; make someone else TENANT_ADMIN first.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_never_exceeds_its_owner() {
        let owner: PermissionSet = [Permission::AUDIT_VIEW].into_iter().collect();
        let scopes = vec!["AUDIT_VIEW".to_string(), "USERS_MANAGE".to_string()];
        let effective = key_permissions(&scopes, &owner);
        assert_eq!(effective.into_iter().collect::<Vec<_>>(), vec![Permission::AUDIT_VIEW]);
        assert!(key_permissions(&scopes, &PermissionSet::new()).is_empty());
    }

    #[test]
    fn granting_needs_every_permission_granted() {
        let mut principal = Principal::system(platform::TenantId::generate());
        principal.permissions = [Permission::USERS_MANAGE].into_iter().collect();
        let wanted: PermissionSet = [Permission::USERS_MANAGE, Permission::ROLES_MANAGE].into();
        assert!(matches!(may_grant(&principal, &wanted), Err(ManageError::Forbidden(_))));
        assert!(may_grant(&principal, &[Permission::USERS_MANAGE].into()).is_ok());
    }
}
