//! Bulk changes: one action (acknowledge, close with a disposition, assign) on up to 10,000
//! listed alerts in one transaction, or on every alert a filter selects as a job with progress
//! that can be cancelled.

use crate::model::alert::Disposition;
use crate::model::filter::AlertFilter;
use crate::model::ids::{AlertId, BulkJobId};
use chrono::{DateTime, Utc};
use platform::UserId;
use serde::{Deserialize, Serialize};

/// Ids one bulk request may list.
pub const MAX_BULK_IDS: usize = 10_000;
/// Alerts a bulk job changes per transaction.
pub const JOB_CHUNK: i64 = 1_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum BulkAction {
    Acknowledge { comment: Option<String> },
    Close { disposition: Disposition, comment: Option<String> },
    Assign { assignee: Option<UserId>, comment: Option<String> },
}

impl BulkAction {
    pub fn name(&self) -> &'static str {
        match self {
            BulkAction::Acknowledge { .. } => "acknowledge",
            BulkAction::Close { .. } => "close",
            BulkAction::Assign { .. } => "assign",
        }
    }
}

/// What a bulk request changed, and why the rest was left alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BulkOutcome {
    pub changed: Vec<AlertId>,
    /// Alerts the action does not apply to (already closed, already acknowledged …).
    pub unchanged: Vec<AlertId>,
    /// Listed ids that are no alert of the tenant.
    pub not_found: Vec<AlertId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkJobStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl BulkJobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BulkJobStatus::Queued => "queued",
            BulkJobStatus::Running => "running",
            BulkJobStatus::Succeeded => "succeeded",
            BulkJobStatus::Failed => "failed",
            BulkJobStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<BulkJobStatus> {
        [
            BulkJobStatus::Queued,
            BulkJobStatus::Running,
            BulkJobStatus::Succeeded,
            BulkJobStatus::Failed,
            BulkJobStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    pub fn is_finished(self) -> bool {
        matches!(self, BulkJobStatus::Succeeded | BulkJobStatus::Failed | BulkJobStatus::Cancelled)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct BulkJob {
    pub id: BulkJobId,
    pub action: BulkAction,
    pub filter: AlertFilter,
    pub status: BulkJobStatus,
    /// Alerts the filter selected when the job started.
    pub total: i64,
    pub processed: i64,
    pub changed: i64,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub cancel_requested_at: Option<DateTime<Utc>>,
}
