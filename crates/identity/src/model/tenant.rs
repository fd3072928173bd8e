//! A tenant as global administrators see it, and its status.

use chrono::{DateTime, Utc};
use platform::TenantId;

/// Whether a tenant's users and API keys may authenticate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TenantStatus {
    Active,
    Suspended,
}

impl TenantStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TenantStatus::Active => "active",
            TenantStatus::Suspended => "suspended",
        }
    }
}

/// A tenant (a global row: the tenant is the scope, not a row inside one).
#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct TenantRow {
    pub id: TenantId,
    pub name: String,
    pub slug: String,
    pub status: String,
    pub settings: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
