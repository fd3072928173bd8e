//! The role matrix of a tenant: read it, replace the permissions of some roles, reset it to the
//! defaults. Every change is announced so that cached permissions of every process are dropped
//! and the next request of any member sees it.
//!
//! It guards against lock-out and escalation: the global administrator's role is locked, the
//! tenant administrator keeps `ROLES_MANAGE`, no editable role gets the platform-wide
//! `TENANTS_MANAGE`, and an editor cannot grant a permission they do not hold themselves. It must
//! not decide what a request may do (that is `authenticate` with the matrix it reads).

use super::Identity;
use super::access;
use super::changes::{Change, announce};
use crate::error::{Conflict, ManageError};
use crate::store::rbac;
use platform::access::{Permission, PermissionSet, Principal, Role};
use platform::audit::{self, RequestContext};
use platform::{FieldCode, TenantTx};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// One row of the matrix as shown to clients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleEntry {
    pub role: Role,
    pub permissions: PermissionSet,
    /// Whether the role's permissions can be edited (the global administrator's cannot).
    pub locked: bool,
}

pub type Matrix = BTreeMap<Role, PermissionSet>;

impl Identity {
    /// The matrix of the principal's tenant, every role in catalog order.
    #[tracing::instrument(skip(self, principal))]
    pub async fn role_matrix(&self, principal: &Principal) -> Result<Vec<RoleEntry>, ManageError> {
        principal.require(Permission::ROLES_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let matrix = rbac::matrix(&mut tx).await?;
        tx.commit().await?;
        Ok(entries(matrix))
    }

    /// Replaces the permissions of the roles named in `changes` (role name -> permission names);
    /// roles not named keep theirs. Answers the whole matrix after the change.
    #[tracing::instrument(skip(self, context, principal, changes))]
    pub async fn update_roles(
        &self,
        context: &RequestContext,
        principal: &Principal,
        changes: &BTreeMap<String, Vec<String>>,
    ) -> Result<Vec<RoleEntry>, ManageError> {
        principal.require(Permission::ROLES_MANAGE)?;
        let wanted = parse_changes(changes)?;
        self.change_matrix(context, principal, "roles.update", |before| {
            let mut after = before.clone();
            after.extend(wanted);
            after
        })
        .await
    }

    /// Restores the default matrix of the principal's tenant: a matrix change like any other,
    /// refused unless the principal holds every permission the defaults grant back.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn reset_roles(
        &self,
        context: &RequestContext,
        principal: &Principal,
    ) -> Result<Vec<RoleEntry>, ManageError> {
        principal.require(Permission::ROLES_MANAGE)?;
        self.change_matrix(context, principal, "roles.reset", |_| {
            Role::ALL
                .iter()
                .filter(|r| !r.is_locked())
                .map(|r| (*r, r.default_permissions()))
                .collect()
        })
        .await
    }

    /// Applies the matrix `next` makes of the current one, in one transaction, serialized per
    /// tenant: nobody grants what they do not hold; one audit row with what changed and the
    /// matrix before and after.
    async fn change_matrix(
        &self,
        context: &RequestContext,
        principal: &Principal,
        action: &str,
        next: impl FnOnce(&Matrix) -> Matrix,
    ) -> Result<Vec<RoleEntry>, ManageError> {
        let tenant = principal.tenant;
        let mut tx = self.db().tenant_tx(tenant).await?;
        rbac::lock_matrix(&mut tx).await?;
        let before = rbac::matrix(&mut tx).await?;
        let wanted = next(&before);
        let empty = PermissionSet::new();
        let mut granted = PermissionSet::new();
        for (role, permissions) in &wanted {
            granted.extend(permissions.difference(before.get(role).unwrap_or(&empty)).copied());
        }
        access::may_grant(principal, &granted)?;
        for (role, permissions) in &wanted {
            if before.get(role) != Some(permissions) {
                rbac::replace(&mut tx, *role, permissions).await?;
            }
        }
        let after = rbac::matrix(&mut tx).await?;
        let summary = json!({
            "roles": differences(&before, &after),
            "before": names(&before),
            "after": names(&after),
        });
        self.finish_matrix_change(&mut tx, context, principal, action, summary).await?;
        tx.commit().await?;
        self.forget(&Change::Roles(tenant));
        Ok(entries(after))
    }

    /// The announcement and the one audit row of a matrix change, inside its transaction.
    async fn finish_matrix_change(
        &self,
        tx: &mut TenantTx,
        context: &RequestContext,
        principal: &Principal,
        action: &str,
        summary: Value,
    ) -> Result<(), ManageError> {
        let tenant = tx.tenant();
        announce(tx, &Change::Roles(tenant)).await?;
        let entry =
            principal.audit(context, action, "role_matrix", Some(tenant.to_string()), summary);
        audit::record(tx, &entry).await?;
        Ok(())
    }
}

/// The requested roles and permissions, parsed and checked against the lock-out rules.
fn parse_changes(changes: &BTreeMap<String, Vec<String>>) -> Result<Matrix, ManageError> {
    if changes.is_empty() {
        return Err(ManageError::invalid("roles", FieldCode::REQUIRED, "name at least one role"));
    }
    let mut wanted = Matrix::new();
    for (name, permissions) in changes {
        let role = Role::parse(name).ok_or_else(|| {
            ManageError::invalid(
                "roles",
                FieldCode::UNKNOWN_ROLE,
                format!("unknown role: {name:.64}"),
            )
        })?;
        let mut set = PermissionSet::new();
        for permission in permissions {
            set.insert(Permission::parse(permission).ok_or_else(|| {
                ManageError::invalid(
                    "roles",
                    FieldCode::UNKNOWN_PERMISSION,
                    format!("unknown permission for {role}: {permission:.64}"),
                )
            })?);
        }
        if role.is_locked() {
            return Err(ManageError::conflict(
                Conflict::RoleLocked,
                format!("The permissions of {role} cannot be changed."),
            ));
        }
        if set.contains(&Permission::TENANTS_MANAGE) {
            return Err(ManageError::invalid(
                "roles",
                FieldCode::PLATFORM_PERMISSION,
                format!("TENANTS_MANAGE belongs to global administrators only, not to {role}"),
            ));
        }
        if role == Role::TENANT_ADMIN && !set.contains(&Permission::ROLES_MANAGE) {
            return Err(ManageError::conflict(
                Conflict::RoleLocked,
                "TENANT_ADMIN must keep ROLES_MANAGE, or nobody could edit the roles again.",
            ));
        }
        wanted.insert(role, set);
    }
    Ok(wanted)
}

/// The matrix as names, for the audit row: `{"ROLE": ["PERMISSION", …]}`.
fn names(matrix: &Matrix) -> Value {
    let roles: Map<String, Value> = matrix
        .iter()
        .filter(|(role, _)| !role.is_locked())
        .map(|(role, set)| {
            let permissions: Vec<&str> = set.iter().map(|p| p.as_str()).collect();
            (role.as_str().to_string(), json!(permissions))
        })
        .collect();
    Value::Object(roles)
}

/// Every role in catalog order; a locked role shows what it really grants (everything).
fn entries(matrix: Matrix) -> Vec<RoleEntry> {
    Role::ALL
        .iter()
        .map(|role| {
            let locked = role.is_locked();
            let permissions = if locked {
                Permission::ALL.iter().copied().collect()
            } else {
                matrix.get(role).cloned().unwrap_or_default()
            };
            RoleEntry { role: *role, permissions, locked }
        })
        .collect()
}

/// Per changed role, the permissions added and removed: `{"ROLE": {"added": [], "removed": []}}`.
fn differences(before: &Matrix, after: &Matrix) -> Value {
    let empty = PermissionSet::new();
    let mut roles = Map::new();
    for role in Role::ALL {
        let (old, new) = (before.get(role).unwrap_or(&empty), after.get(role).unwrap_or(&empty));
        if old == new {
            continue;
        }
        let names = |set: Vec<&Permission>| set.iter().map(|p| p.as_str()).collect::<Vec<_>>();
        roles.insert(
            role.as_str().to_string(),
            json!({
                "added": names(new.difference(old).collect()),
                "removed": names(old.difference(new).collect()),
            }),
        );
    }
    Value::Object(roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(role: &str, permissions: &[&str]) -> BTreeMap<String, Vec<String>> {
        BTreeMap::from([(role.to_string(), permissions.iter().map(|p| p.to_string()).collect())])
    }

    #[test]
    fn locked_and_lock_out_edits_are_refused() {
        let locked = |r: Result<Matrix, ManageError>| {
            matches!(r, Err(ManageError::Conflict { conflict: Conflict::RoleLocked, .. }))
        };
        assert!(locked(parse_changes(&request("GLOBAL_ADMIN", &["AUDIT_VIEW"]))));
        assert!(locked(parse_changes(&request("TENANT_ADMIN", &["AUDIT_VIEW"]))));
        assert!(parse_changes(&request("TENANT_ADMIN", &["ROLES_MANAGE"])).is_ok());
    }

    #[test]
    fn unknown_names_empty_requests_and_tenants_manage_are_invalid() {
        for bad in [
            request("NOBODY", &[]),
            request("SOC_ANALYST_L1", &["FLY"]),
            request("SOC_ANALYST_L1", &["TENANTS_MANAGE"]),
            BTreeMap::new(),
        ] {
            assert!(matches!(parse_changes(&bad), Err(ManageError::Invalid { .. })), "{bad:?}");
        }
    }

    #[test]
    fn differences_list_added_and_removed_permissions_of_changed_roles_only() {
        let before: Matrix = Role::ALL.iter().map(|r| (*r, r.default_permissions())).collect();
        let mut after = before.clone();
        let l1 = after.entry(Role::SOC_ANALYST_L1).or_default();
        l1.insert(Permission::AUDIT_VIEW);
        l1.remove(&Permission::CASES_VIEW);
        let diff = differences(&before, &after);
        assert_eq!(
            diff,
            json!({"SOC_ANALYST_L1": {"added": ["AUDIT_VIEW"], "removed": ["CASES_VIEW"]}})
        );
    }

    #[test]
    fn the_global_administrator_is_shown_with_every_permission() {
        let shown = entries(Matrix::new());
        assert_eq!(shown.len(), Role::ALL.len());
        assert!(shown[0].locked && shown[0].permissions.len() == Permission::ALL.len());
        assert!(!shown[1].locked && shown[1].permissions.is_empty());
    }
}
