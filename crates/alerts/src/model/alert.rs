//! The alert as triage sees it: its status and the moves between statuses, the disposition it is
//! closed with, the summary a list shows, the whole alert with its finding and raw payload, and
//! the history of its state changes. Severity is detect's (OCSF `severity_id`).

use crate::model::ids::{AlertId, CorrelationGroupId, DetectionRuleId};
use chrono::{DateTime, Utc};
use detect::Severity;
use platform::UserId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an alert stands in triage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    New,
    Acknowledged,
    Investigating,
    Closed,
}

impl AlertStatus {
    pub const ALL: [AlertStatus; 4] = [
        AlertStatus::New,
        AlertStatus::Acknowledged,
        AlertStatus::Investigating,
        AlertStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::New => "new",
            AlertStatus::Acknowledged => "acknowledged",
            AlertStatus::Investigating => "investigating",
            AlertStatus::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<AlertStatus> {
        AlertStatus::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }

    pub fn is_open(self) -> bool {
        self != AlertStatus::Closed
    }

    /// The OCSF Finding `status_id` and caption this status is reported as.
    pub fn ocsf(self) -> (u8, &'static str) {
        match self {
            AlertStatus::New => (1, "New"),
            AlertStatus::Acknowledged | AlertStatus::Investigating => (2, "In Progress"),
            AlertStatus::Closed => (4, "Resolved"),
        }
    }
}

impl fmt::Display for AlertStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a closed alert turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    TruePositive,
    FalsePositive,
    Benign,
    Duplicate,
    Test,
}

impl Disposition {
    pub const ALL: [Disposition; 5] = [
        Disposition::TruePositive,
        Disposition::FalsePositive,
        Disposition::Benign,
        Disposition::Duplicate,
        Disposition::Test,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::TruePositive => "true_positive",
            Disposition::FalsePositive => "false_positive",
            Disposition::Benign => "benign",
            Disposition::Duplicate => "duplicate",
            Disposition::Test => "test",
        }
    }

    pub fn parse(text: &str) -> Option<Disposition> {
        Disposition::ALL.into_iter().find(|d| d.as_str() == text.trim())
    }
}

/// The word an API uses for a severity (`informational`, `high` …).
pub fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Unknown => "unknown",
        Severity::Informational => "informational",
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
        Severity::Critical => "critical",
        Severity::Fatal => "fatal",
    }
}

/// An alert as a list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct AlertSummary {
    pub id: AlertId,
    pub title: String,
    pub severity: Severity,
    pub status: AlertStatus,
    pub disposition: Option<Disposition>,
    /// `palisade`, `wazuh`, `elastic`, `ocsf`, `sentinel`, `splunk` or `sigma`.
    pub source: String,
    pub rule_uid: Option<String>,
    pub rule_name: Option<String>,
    pub detection_rule_id: Option<DetectionRuleId>,
    pub parent_alert_id: Option<AlertId>,
    pub assignee_id: Option<UserId>,
    pub occurrences: i64,
    pub first_seen_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub event_time: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub ack_breached_at: Option<DateTime<Utc>>,
    pub close_breached_at: Option<DateTime<Utc>>,
}

/// One state change of an alert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    /// `user`, `api_key` or `system`.
    pub actor_type: String,
    pub actor_id: Option<uuid::Uuid>,
    pub action: String,
    pub from_status: AlertStatus,
    pub to_status: AlertStatus,
    pub from_assignee: Option<UserId>,
    pub to_assignee: Option<UserId>,
    pub disposition: Option<Disposition>,
    pub comment: Option<String>,
    pub bulk_id: Option<uuid::Uuid>,
}

/// The whole alert: its summary, the OCSF finding as it stands now (triage status, count and
/// first/last seen included), the raw payload, its history and its correlation groups.
#[derive(Clone, Debug)]
pub struct Alert {
    pub summary: AlertSummary,
    pub description: Option<String>,
    pub finding: serde_json::Value,
    pub raw: serde_json::Value,
    pub history: Vec<HistoryEntry>,
    pub correlation_groups: Vec<CorrelationGroupId>,
    /// When the tenant's SLA wants the alert acknowledged and closed, if it sets targets.
    pub ack_due_at: Option<DateTime<Utc>>,
    pub close_due_at: Option<DateTime<Utc>>,
}
