//! The per-tenant role matrix (`role_permissions`).

use crate::permissions::{Permission, PermissionSet, Role};
use platform::TenantId;
use sqlx::PgConnection;
use std::collections::BTreeMap;

/// The permissions `role` grants in the transaction's tenant.
#[tracing::instrument(skip(conn))]
pub async fn permissions_of(
    conn: &mut PgConnection,
    tenant: TenantId,
    role: Role,
) -> sqlx::Result<PermissionSet> {
    let names: Vec<String> = sqlx::query_scalar(
        "select permission from role_permissions where tenant_id = $1 and role = $2",
    )
    .bind(tenant)
    .bind(role.as_str())
    .fetch_all(conn)
    .await?;
    Ok(names.iter().filter_map(|name| Permission::parse(name)).collect())
}

/// The whole matrix of the transaction's tenant.
#[tracing::instrument(skip(conn))]
pub async fn matrix(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> sqlx::Result<BTreeMap<Role, PermissionSet>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("select role, permission from role_permissions where tenant_id = $1")
            .bind(tenant)
            .fetch_all(conn)
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
#[tracing::instrument(skip(conn, permissions))]
pub async fn replace(
    conn: &mut PgConnection,
    tenant: TenantId,
    role: Role,
    permissions: &PermissionSet,
) -> sqlx::Result<()> {
    sqlx::query("delete from role_permissions where tenant_id = $1 and role = $2")
        .bind(tenant)
        .bind(role.as_str())
        .execute(&mut *conn)
        .await?;
    let names: Vec<&str> = permissions.iter().map(|p| p.as_str()).collect();
    sqlx::query(
        "insert into role_permissions (tenant_id, role, permission)
         select $1, $2, unnest($3::text[])",
    )
    .bind(tenant)
    .bind(role.as_str())
    .bind(&names)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes the default matrix for every role (a new tenant, or a reset).
#[tracing::instrument(skip(conn))]
pub async fn seed_defaults(conn: &mut PgConnection, tenant: TenantId) -> sqlx::Result<()> {
    for role in Role::ALL {
        replace(&mut *conn, tenant, *role, &role.default_permissions()).await?;
    }
    Ok(())
}

/// Serializes edits of the tenant's matrix until the transaction ends, so that two concurrent
/// edits (or an edit and a reset) cannot interleave their deletes and inserts.
#[tracing::instrument(skip(conn))]
pub async fn lock_matrix(conn: &mut PgConnection, tenant: TenantId) -> sqlx::Result<()> {
    sqlx::query("select pg_advisory_xact_lock(hashtextextended('role_permissions:' || $1, 0))")
        .bind(tenant.to_string())
        .execute(conn)
        .await
        .map(|_| ())
}
