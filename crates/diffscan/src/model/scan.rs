//! Scans and findings as stored and handed out.

use super::{BaselineId, InstallationId, PolicyId, ScanId, WebhookDeliveryId, word};
use chrono::{DateTime, Utc};
use diffscan_engine::Decision;
use diffscan_engine::report::{DiffStats, EngineInfo, ExpiredException, PolicySummary, ScanError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScanStatus {
    Queued,
    Running,
    /// A decision was reached by the engine.
    Completed,
    /// The service could not scan (the diff could not be fetched or read); the decision then
    /// follows the policy's `on_error`.
    Failed,
}

impl ScanStatus {
    pub const ALL: [ScanStatus; 4] =
        [ScanStatus::Queued, ScanStatus::Running, ScanStatus::Completed, ScanStatus::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            ScanStatus::Queued => "queued",
            ScanStatus::Running => "running",
            ScanStatus::Completed => "completed",
            ScanStatus::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<ScanStatus> {
        word(&ScanStatus::ALL, ScanStatus::as_str, text)
    }

    /// Whether the scan has its decision.
    pub fn is_final(self) -> bool {
        matches!(self, ScanStatus::Completed | ScanStatus::Failed)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScanSource {
    /// `POST /v1/diffscans`.
    Api,
    /// A pull request (by webhook or by reference).
    Github,
}

impl ScanSource {
    pub const ALL: [ScanSource; 2] = [ScanSource::Api, ScanSource::Github];

    pub fn as_str(self) -> &'static str {
        match self {
            ScanSource::Api => "api",
            ScanSource::Github => "github",
        }
    }

    pub fn parse(text: &str) -> Option<ScanSource> {
        word(&ScanSource::ALL, ScanSource::as_str, text)
    }
}

/// Who asked for a scan, as the audit log names actors (`github` for a webhook delivery).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Requester {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Option<uuid::Uuid>,
}

/// The raw diff of a scan: its digest and size, and where it is (or when it left).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffInfo {
    /// `None` until a pull request's diff has been fetched.
    pub sha256: Option<String>,
    pub bytes: Option<i64>,
    /// The raw diff is in the object store.
    pub stored: bool,
    /// When retention purges it.
    pub expires_at: DateTime<Utc>,
    /// The deletion marker: when and why (`retention` or `request`) the raw diff was purged.
    pub deleted_at: Option<DateTime<Utc>>,
    pub deletion_reason: Option<String>,
}

/// The pull request a scan is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GithubRef {
    pub installation_id: Option<InstallationId>,
    pub repository: String,
    pub pull_request: i32,
    pub head_sha: Option<String>,
    pub check_run_id: Option<i64>,
    pub delivery_id: Option<WebhookDeliveryId>,
}

/// Findings of a scan by status (the report keeps all of them, with their status).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub open: usize,
    pub suppressed: usize,
    pub excepted: usize,
    pub baselined: usize,
    /// Beyond 25 of one rule in one file: counted for the decision, not listed.
    pub omitted: usize,
}

/// What the scan row keeps of the report besides its findings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScanSummary {
    pub counts: StatusCounts,
    pub stats: DiffStats,
    pub engine: Option<EngineInfo>,
    pub policy: Option<PolicySummary>,
    pub errors: Vec<ScanError>,
    pub expired_exceptions: Vec<ExpiredException>,
}

#[derive(Clone, Debug)]
pub struct ScanRecord {
    pub id: ScanId,
    pub status: ScanStatus,
    pub source: ScanSource,
    pub name: String,
    pub policy_id: Option<PolicyId>,
    pub baseline_id: Option<BaselineId>,
    pub requested_by: Requester,
    pub diff: DiffInfo,
    pub decision: Option<Decision>,
    pub degraded: bool,
    /// Why a failed scan failed, in words for its requester.
    pub error: Option<String>,
    pub findings_count: i32,
    pub blocking_count: i32,
    pub summary: ScanSummary,
    pub artifact_key_id: Option<String>,
    pub github: Option<GithubRef>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// One finding of a completed scan (as the report has it; never raw diff content).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FindingRecord {
    pub ordinal: i32,
    pub rule_id: String,
    pub family: String,
    pub severity: String,
    pub confidence: String,
    pub title: String,
    pub message: String,
    pub path: Option<String>,
    pub start_line: Option<i32>,
    pub end_line: Option<i32>,
    pub diff_line: Option<i64>,
    pub snippet: String,
    pub fingerprint: String,
    pub status: String,
    pub blocking: bool,
    pub suppression: Option<serde_json::Value>,
}

/// Filters of the scans list; `None` does not filter.
#[derive(Clone, Debug, Default)]
pub struct ScanFilter {
    pub status: Option<ScanStatus>,
    pub decision: Option<Decision>,
    pub source: Option<ScanSource>,
    pub repository: Option<String>,
}

/// Filters of a scan's findings; `None` does not filter.
#[derive(Clone, Debug, Default)]
pub struct FindingFilter {
    pub status: Option<diffscan_engine::FindingStatus>,
    pub blocking: Option<bool>,
    pub min_severity: Option<diffscan_engine::rules::Severity>,
    pub family: Option<diffscan_engine::rules::Family>,
    pub rule_id: Option<String>,
}
