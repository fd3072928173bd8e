//! A Sigma detection rule as a tenant keeps it: the YAML as written, whether it is enabled, the
//! exceptions that silence it, and what Palisade read from it (title, the rule's own id, level,
//! tags). Parsing and compiling are detect's; the service refuses what does not compile.

use crate::model::ids::DetectionRuleId;
use chrono::{DateTime, Utc};
use detect::Severity;

/// Rules one tenant may keep.
pub const MAX_RULES: i64 = 5_000;
/// Exceptions one rule may carry.
pub const MAX_EXCEPTIONS: usize = 100;
/// The longest rule text accepted.
pub const MAX_YAML_BYTES: usize = 65_536;

#[derive(Clone, Debug, PartialEq)]
pub struct DetectionRule {
    pub id: DetectionRuleId,
    pub title: String,
    /// The `id:` of the YAML (a SigmaHQ rule's UUID), unique in the tenant.
    pub sigma_id: Option<String>,
    pub yaml: String,
    pub enabled: bool,
    pub level: Severity,
    pub tags: Vec<String>,
    /// Sigma selections (JSON objects) that silence a match.
    pub exceptions: Vec<serde_json::Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
