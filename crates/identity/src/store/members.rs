//! The members of one tenant: `memberships` (tenant-owned) joined with `users` (global), as that
//! tenant sees them.
//!
//! Every function runs inside `tenant_tx(tenant)` and filters on `tenant_id = $1` as well (RLS is
//! the second wall). It must not write the global `users` row (see `store::users`) and must not
//! read or write another tenant's memberships. Creating a membership is `users::insert_membership`.

use crate::permissions::Role;
use chrono::{DateTime, Utc};
use platform::{TenantId, UserId};
use serde::Serialize;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use std::fmt;

/// The state of a user's membership in one tenant. Blocking and deleting act here, so that one
/// tenant's administrator never affects the user's other tenants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MembershipStatus {
    Active,
    /// Suspended by an administrator; restorable.
    Blocked,
    /// Soft-deleted; restorable.
    Deleted,
}

impl MembershipStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipStatus::Active => "active",
            MembershipStatus::Blocked => "blocked",
            MembershipStatus::Deleted => "deleted",
        }
    }

    pub fn parse(text: &str) -> Option<MembershipStatus> {
        match text {
            "active" => Some(MembershipStatus::Active),
            "blocked" => Some(MembershipStatus::Blocked),
            "deleted" => Some(MembershipStatus::Deleted),
            _ => None,
        }
    }
}

impl fmt::Display for MembershipStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A user as one tenant sees them: the global account and their membership there.
#[derive(Clone, Debug)]
pub struct MemberRow {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub status: MembershipStatus,
    pub is_global_admin: bool,
    pub is_protected: bool,
    /// When the user joined this tenant.
    pub created_at: DateTime<Utc>,
}

impl<'r> sqlx::FromRow<'r, PgRow> for MemberRow {
    fn from_row(row: &'r PgRow) -> sqlx::Result<Self> {
        let decode = |column: &str, value: &str| sqlx::Error::ColumnDecode {
            index: column.to_string(),
            source: format!("unknown value {value:?}").into(),
        };
        let role: String = row.try_get("role")?;
        let status: String = row.try_get("status")?;
        Ok(MemberRow {
            id: row.try_get("user_id")?,
            email: row.try_get("email")?,
            display_name: row.try_get("display_name")?,
            role: Role::parse(&role).ok_or_else(|| decode("role", &role))?,
            status: MembershipStatus::parse(&status).ok_or_else(|| decode("status", &status))?,
            is_global_admin: row.try_get("is_global_admin")?,
            is_protected: row.try_get("is_protected")?,
            created_at: row.try_get("created_at")?,
        })
    }
}

const MEMBER_SELECT: &str = "select m.user_id, u.email, u.display_name, m.role, m.status, \
                             u.is_global_admin, u.is_protected, m.created_at \
                             from memberships m join users u on u.id = m.user_id";

/// Which members a list shows.
#[derive(Clone, Copy, Debug, Default)]
pub struct MemberFilter {
    pub status: Option<MembershipStatus>,
    pub role: Option<Role>,
}

/// Up to `limit` members of the tenant with a user id after `after`, in user-id order.
#[tracing::instrument(skip(conn))]
pub async fn list(
    conn: &mut PgConnection,
    tenant: TenantId,
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
    .bind(tenant)
    .bind(filter.status.map(MembershipStatus::as_str))
    .bind(filter.role.map(Role::as_str))
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The member `user` of the tenant; `None` when they have no membership there.
#[tracing::instrument(skip(conn))]
pub async fn get(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
) -> sqlx::Result<Option<MemberRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{MEMBER_SELECT} where m.tenant_id = $1 and m.user_id = $2"
    )))
    .bind(tenant)
    .bind(user)
    .fetch_optional(conn)
    .await
}

/// Like `get`, locking the membership row until the transaction ends, so that two concurrent
/// changes of one member are applied one after the other.
#[tracing::instrument(skip(conn))]
pub async fn get_for_update(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
) -> sqlx::Result<Option<MemberRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{MEMBER_SELECT} where m.tenant_id = $1 and m.user_id = $2 for update of m"
    )))
    .bind(tenant)
    .bind(user)
    .fetch_optional(conn)
    .await
}

/// Changes the member's role in the tenant.
#[tracing::instrument(skip(conn))]
pub async fn set_role(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    role: Role,
) -> sqlx::Result<()> {
    sqlx::query("update memberships set role = $3, updated_at = now() where tenant_id = $1 and user_id = $2")
        .bind(tenant)
        .bind(user)
        .bind(role.as_str())
        .execute(conn)
        .await
        .map(|_| ())
}

/// Changes the member's status in the tenant (block, soft-delete, restore).
#[tracing::instrument(skip(conn))]
pub async fn set_status(
    conn: &mut PgConnection,
    tenant: TenantId,
    user: UserId,
    status: MembershipStatus,
) -> sqlx::Result<()> {
    sqlx::query("update memberships set status = $3, updated_at = now() where tenant_id = $1 and user_id = $2")
        .bind(tenant)
        .bind(user)
        .bind(status.as_str())
        .execute(conn)
        .await
        .map(|_| ())
}
