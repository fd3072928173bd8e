//! The per-tenant role matrix (`role_permissions`), always in the transaction's tenant.

use platform::TenantTx;
use platform::access::{Permission, PermissionSet, Role};
use std::collections::BTreeMap;

/// The permissions `role` grants in the transaction's tenant.
#[tracing::instrument(skip(tx))]
pub(crate) async fn permissions_of(tx: &mut TenantTx, role: Role) -> sqlx::Result<PermissionSet> {
    let names: Vec<String> = sqlx::query_scalar(
        "select permission from role_permissions where tenant_id = $1 and role = $2",
    )
    .bind(tx.tenant())
    .bind(role.as_str())
    .fetch_all(&mut **tx)
    .await?;
    Ok(names.iter().filter_map(|name| Permission::parse(name)).collect())
}

/// The whole matrix of the transaction's tenant.
#[tracing::instrument(skip(tx))]
pub(crate) async fn matrix(tx: &mut TenantTx) -> sqlx::Result<BTreeMap<Role, PermissionSet>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("select role, permission from role_permissions where tenant_id = $1")
            .bind(tx.tenant())
            .fetch_all(&mut **tx)
            .await?;
    let mut matrix: BTreeMap<Role, PermissionSet> =
        Role::ALL.iter().map(|r| (*r, PermissionSet::new())).collect();
    for (role, permission) in rows {
        if let (Some(role), Some(permission)) = (Role::parse(&role), Permission::parse(&permission))
        {
            matrix.entry(role).or_default().insert(permission);
        }
    }
    Ok(matrix)
}

/// Replaces `role`'s permissions in the transaction's tenant.
#[tracing::instrument(skip(tx, permissions))]
pub(crate) async fn replace(
    tx: &mut TenantTx,
    role: Role,
    permissions: &PermissionSet,
) -> sqlx::Result<()> {
    sqlx::query("delete from role_permissions where tenant_id = $1 and role = $2")
        .bind(tx.tenant())
        .bind(role.as_str())
        .execute(&mut **tx)
        .await?;
    let names: Vec<&str> = permissions.iter().map(|p| p.as_str()).collect();
    sqlx::query(
        "insert into role_permissions (tenant_id, role, permission)
         select $1, $2, unnest($3::text[])",
    )
    .bind(tx.tenant())
    .bind(role.as_str())
    .bind(&names)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes the default matrix for every role (a new tenant, or a reset).
#[tracing::instrument(skip(tx))]
pub(crate) async fn seed_defaults(tx: &mut TenantTx) -> sqlx::Result<()> {
    for role in Role::ALL {
        replace(tx, *role, &role.default_permissions()).await?;
    }
    Ok(())
}

/// Serializes edits of the tenant's matrix until the transaction ends, so that two concurrent
/// edits (or an edit and a reset) cannot interleave their deletes and inserts.
#[tracing::instrument(skip(tx))]
pub(crate) async fn lock_matrix(tx: &mut TenantTx) -> sqlx::Result<()> {
    sqlx::query("select pg_advisory_xact_lock(hashtextextended('role_permissions:' || $1, 0))")
        .bind(tx.tenant().to_string())
        .execute(&mut **tx)
        .await
        .map(|_| ())
}
