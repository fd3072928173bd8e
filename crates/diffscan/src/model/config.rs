//! What a tenant scans with: policies, exceptions, baselines and rule packs, as stored.

use super::{BaselineId, ExceptionId, PolicyId, RulePackId};
use chrono::{DateTime, NaiveDate, Utc};
use platform::UserId;

/// A policy: the engine's format (version 1) without exceptions.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PolicyRecord {
    pub id: PolicyId,
    pub name: String,
    pub description: String,
    /// `{profile, profiles, inline_suppressions, on_error, limits}` as the engine reads them.
    pub document: serde_json::Value,
    pub is_default: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ExceptionRecord {
    pub id: ExceptionId,
    /// `None`: under every policy of the tenant.
    pub policy_id: Option<PolicyId>,
    /// A rule selector: an exact id, an id with `*`, or `family:<family>`.
    pub rule: String,
    pub path_glob: String,
    /// It applies until the end of this day (UTC), then it is reported as expired.
    pub expires_on: NaiveDate,
    pub reason: String,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ExceptionRecord {
    pub fn is_expired(&self, today: NaiveDate) -> bool {
        today > self.expires_on
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct BaselineRecord {
    pub id: BaselineId,
    pub name: String,
    pub description: String,
    pub entries: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One accepted finding of a baseline.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule: String,
    pub path: Option<String>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RulePackRecord {
    pub id: RulePackId,
    pub name: String,
    pub version: i32,
    pub description: String,
    /// The YAML source; only read when asked for one pack.
    pub source: Option<String>,
    pub digest: String,
    pub rule_ids: Vec<String>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
