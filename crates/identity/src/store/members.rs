//! The members of one tenant: `memberships` (tenant-owned) joined with `users` (global), as that
//! tenant sees them.
//!
//! Every function runs inside the tenant's `TenantTx` and filters on `tenant_id = $1` as well (RLS is
//! the second wall). It must not write the global `users` row (see `store::users`) and must not
//! read or write another tenant's memberships. Creating a membership is `users::insert_membership`.

use crate::model::{MemberRow, MembershipStatus};
use platform::access::Role;
use platform::{TenantTx, UserId};

const MEMBER_SELECT: &str = "select m.user_id, u.email, u.display_name, m.role, m.status, \
                             u.is_global_admin, u.is_protected, m.created_at \
                             from memberships m join users u on u.id = m.user_id";

/// Which members a list shows.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct MemberFilter {
    pub status: Option<MembershipStatus>,
    pub role: Option<Role>,
}

/// Up to `limit` members of the tenant with a user id after `after`, in user-id order.
#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    filter: MemberFilter,
    after: Option<UserId>,
    limit: i64,
) -> sqlx::Result<Vec<MemberRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{MEMBER_SELECT}
          where m.tenant_id = $1
            and ($2::text is null or m.status = $2)
            and ($3::text is null or m.role = $3)
            and ($4::uuid is null or m.user_id > $4)
          order by m.user_id
          limit $5"
    )))
    .bind(tx.tenant())
    .bind(filter.status.map(MembershipStatus::as_str))
    .bind(filter.role.map(Role::as_str))
    .bind(after)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// The member `user` of the tenant; `None` when they have no membership there.
#[tracing::instrument(skip(tx))]
pub(crate) async fn get(tx: &mut TenantTx, user: UserId) -> sqlx::Result<Option<MemberRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{MEMBER_SELECT} where m.tenant_id = $1 and m.user_id = $2"
    )))
    .bind(tx.tenant())
    .bind(user)
    .fetch_optional(&mut **tx)
    .await
}

/// Like `get`, locking the membership row until the transaction ends, so that two concurrent
/// changes of one member are applied one after the other.
#[tracing::instrument(skip(tx))]
pub(crate) async fn get_for_update(
    tx: &mut TenantTx,
    user: UserId,
) -> sqlx::Result<Option<MemberRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{MEMBER_SELECT} where m.tenant_id = $1 and m.user_id = $2 for update of m"
    )))
    .bind(tx.tenant())
    .bind(user)
    .fetch_optional(&mut **tx)
    .await
}

/// Changes the member's role in the tenant.
#[tracing::instrument(skip(tx))]
pub(crate) async fn set_role(tx: &mut TenantTx, user: UserId, role: Role) -> sqlx::Result<()> {
    sqlx::query("update memberships set role = $3, updated_at = now() where tenant_id = $1 and user_id = $2")
        .bind(tx.tenant())
        .bind(user)
        .bind(role.as_str())
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Changes the member's status in the tenant (block, soft-delete, restore).
#[tracing::instrument(skip(tx))]
pub(crate) async fn set_status(
    tx: &mut TenantTx,
    user: UserId,
    status: MembershipStatus,
) -> sqlx::Result<()> {
    sqlx::query("update memberships set status = $3, updated_at = now() where tenant_id = $1 and user_id = $2")
        .bind(tx.tenant())
        .bind(user)
        .bind(status.as_str())
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Serializes changes of the transaction tenant's administrators until the transaction ends.
#[tracing::instrument(skip(tx))]
pub(crate) async fn lock_admins(tx: &mut TenantTx) -> sqlx::Result<()> {
    sqlx::query("select pg_advisory_xact_lock(hashtextextended('tenant_admins:' || $1, 0))")
        .bind(tx.tenant().to_string())
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Active members of the transaction's tenant with an administrator role, other than `user`.
#[tracing::instrument(skip(tx))]
pub(crate) async fn count_other_active_admins(
    tx: &mut TenantTx,
    user: UserId,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from memberships
          where tenant_id = $1 and user_id <> $2 and status = 'active'
            and role in ('TENANT_ADMIN', 'GLOBAL_ADMIN')",
    )
    .bind(tx.tenant())
    .bind(user)
    .fetch_one(&mut **tx)
    .await
}
