//! The audit log as readers see it: a row (without the chain's hashes, which are for
//! `audit-verify`) and the filters of a page.

use chrono::{DateTime, Utc};
use platform::Timestamp;
use uuid::Uuid;

/// One row as readers see it (the chain's hashes are for `audit-verify`, not for readers).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuditRow {
    pub id: Uuid,
    pub seq: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub request_id: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub summary: serde_json::Value,
}

/// How `action` is matched: exactly, or by its beginning (`user.*` is `Prefix("user.")`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionMatch {
    Exact(String),
    Prefix(String),
}

/// Which rows to read; every filter is optional.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub actor_id: Option<Uuid>,
    pub action: Option<ActionMatch>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// Rows that occurred at or after this instant.
    pub since: Option<Timestamp>,
    /// Rows that occurred before this instant.
    pub until: Option<Timestamp>,
}

impl ActionMatch {
    /// `user.*` matches every action starting with `user.`; anything else matches exactly.
    pub fn parse(text: &str) -> ActionMatch {
        match text.strip_suffix('*') {
            Some(prefix) => ActionMatch::Prefix(prefix.to_string()),
            None => ActionMatch::Exact(text.to_string()),
        }
    }
}
