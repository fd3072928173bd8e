//! Correlation rules (what links alerts, over which window, how many make an incident
//! candidate) and the groups they form. The grouping itself is detect's; the words used for link
//! kinds in the API and the database are defined here.

use crate::model::ids::{AlertId, CorrelationGroupId, CorrelationRuleId};
use chrono::{DateTime, TimeDelta, Utc};
use detect::correlation::{CorrelationConfig, LinkKey, LinkKind};
use detect::{ObservableKind, Severity};

#[derive(Clone, Debug, PartialEq)]
pub struct CorrelationRule {
    pub id: CorrelationRuleId,
    pub name: String,
    pub enabled: bool,
    pub link_by: Vec<LinkKind>,
    pub window: TimeDelta,
    pub threshold: usize,
    /// Less severe alerts are left out of this rule's groups.
    pub min_severity: Severity,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CorrelationRule {
    pub fn config(&self) -> CorrelationConfig {
        CorrelationConfig {
            window: self.window,
            threshold: self.threshold,
            link_by: self.link_by.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupMember {
    pub alert_id: AlertId,
    pub added_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CorrelationGroup {
    pub id: CorrelationGroupId,
    pub rule_id: CorrelationRuleId,
    pub first_seen_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub member_count: i32,
    /// The indicators its members share, as (kind word, value).
    pub keys: Vec<(String, String)>,
    /// When it became an incident candidate, if it did.
    pub candidate_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Filled when one group is asked for.
    pub members: Vec<GroupMember>,
}

/// A link kind's word: `host`, `user`, `technique`, or an observable type (`ip`, `domain` …).
pub fn link_word(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Host => "host",
        LinkKind::User => "user",
        LinkKind::Technique => "technique",
        LinkKind::Observable(kind) => kind.as_str(),
    }
}

pub fn parse_link(text: &str) -> Option<LinkKind> {
    match text.trim() {
        "host" | "hostname" => Some(LinkKind::Host),
        "user" => Some(LinkKind::User),
        "technique" => Some(LinkKind::Technique),
        other => ObservableKind::parse(other).map(LinkKind::Observable),
    }
}

pub fn key_words(key: &LinkKey) -> (String, String) {
    (link_word(key.kind).to_string(), key.value.clone())
}
