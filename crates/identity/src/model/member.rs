//! A user as one tenant sees them: the global account joined with the membership there, and the
//! membership's status.

use chrono::{DateTime, Utc};
use platform::UserId;
use platform::access::Role;
use serde::Serialize;
use sqlx::Row;
use sqlx::postgres::PgRow;
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
