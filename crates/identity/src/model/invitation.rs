//! An invitation to join a tenant with a role, and where it stands.

use chrono::{DateTime, Utc};
use platform::UserId;
use platform::access::Role;
use sqlx::Row;
use sqlx::postgres::PgRow;

platform::id!(
    /// An invitation of a tenant.
    pub InvitationId,
    "invitation"
);

/// Where an invitation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl InvitationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InvitationStatus::Pending => "pending",
            InvitationStatus::Accepted => "accepted",
            InvitationStatus::Revoked => "revoked",
            InvitationStatus::Expired => "expired",
        }
    }
}

/// An invitation as its tenant's administrators see it. It says nothing of whether an account
/// with this address exists.
#[derive(Clone, Debug)]
pub struct Invitation {
    pub id: InvitationId,
    pub email: String,
    pub role: Role,
    pub invited_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub accepted_by: Option<UserId>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Invitation {
    pub fn status(&self, now: DateTime<Utc>) -> InvitationStatus {
        match (self.accepted_at, self.revoked_at) {
            (Some(_), _) => InvitationStatus::Accepted,
            (None, Some(_)) => InvitationStatus::Revoked,
            (None, None) if self.expires_at <= now => InvitationStatus::Expired,
            (None, None) => InvitationStatus::Pending,
        }
    }
}

impl<'r> sqlx::FromRow<'r, PgRow> for Invitation {
    fn from_row(row: &'r PgRow) -> sqlx::Result<Self> {
        let role: String = row.try_get("role")?;
        Ok(Invitation {
            id: row.try_get("id")?,
            email: row.try_get("email")?,
            role: Role::parse(&role).ok_or_else(|| sqlx::Error::ColumnDecode {
                index: "role".into(),
                source: format!("unknown role {role:?}").into(),
            })?,
            invited_by: row.try_get("invited_by")?,
            created_at: row.try_get("created_at")?,
            expires_at: row.try_get("expires_at")?,
            accepted_at: row.try_get("accepted_at")?,
            accepted_by: row.try_get("accepted_by")?,
            revoked_at: row.try_get("revoked_at")?,
        })
    }
}
