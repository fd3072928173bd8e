//! The result of one scan: what was scanned (the diff's SHA-256), with which engine and rules,
//! under which profile, every finding with its status, and the decision `pass`, `fail` or
//! `error`. This is the JSON renderer's output and the predicate of the signed statement, so
//! its field names are a stable interface (`docs/diffscan.md`, "Report format").
//!
//! Every string in a report is display-safe and carries no secret; it must not gain a field
//! holding raw diff content.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::policy::OnError;
use crate::rules::{Confidence, Family, Severity};

/// The `format` value of reports this version writes.
pub const REPORT_FORMAT: &str = "palisade.diffscan.report/v1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub format: String,
    pub engine: EngineInfo,
    pub subject: Subject,
    pub stats: DiffStats,
    pub policy: PolicySummary,
    pub decision: Decision,
    /// Errors occurred and the policy is fail-open: the decision rests on a partial scan.
    pub degraded: bool,
    pub errors: Vec<ScanError>,
    pub findings: Vec<Finding>,
    /// Findings left out of `findings` (more than 25 of one rule in one file); they counted for
    /// the decision.
    pub omitted_findings: usize,
    pub expired_exceptions: Vec<ExpiredException>,
    /// The rules that `findings` refer to.
    pub rules: Vec<RuleSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineInfo {
    pub name: String,
    pub version: String,
    /// SHA-256 over the loaded packs, so a result names the exact rules it ran.
    pub rules_digest: String,
    pub rule_count: usize,
}

/// The diff that was scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub sha256: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DiffStats {
    pub files: usize,
    pub hunks: usize,
    pub added_lines: usize,
    pub removed_lines: usize,
    pub binary_files: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySummary {
    pub profile: String,
    /// The least severity that blocks, or `never`.
    pub block_at: String,
    pub min_confidence: Confidence,
    pub on_error: OnError,
    pub baseline_applied: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Pass,
    Fail,
    Error,
}

impl Decision {
    /// The CLI's exit status: 0 pass, 1 fail, 2 error.
    pub fn exit_code(self) -> u8 {
        crate::exit_code(self)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Pass => "pass",
            Decision::Fail => "fail",
            Decision::Error => "error",
        }
    }
}

/// Why the scan could not look at the whole diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanError {
    pub code: ScanErrorCode,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScanErrorCode {
    InputTooLarge,
    TooManyFiles,
    NotADiff,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule_id: String,
    pub family: Family,
    /// After file-kind adjustments and the profile's overrides.
    pub severity: Severity,
    pub confidence: Confidence,
    pub title: String,
    pub message: String,
    pub path: Option<String>,
    /// Lines of the new file; absent for findings about a whole file or the diff's structure.
    pub start_line: Option<u32>,
    pub end_line: Option<u32>,
    /// Line of the diff input, for findings about its structure.
    pub diff_line: Option<usize>,
    /// The matched line, display-safe, secrets redacted.
    pub snippet: String,
    pub fingerprint: String,
    pub status: FindingStatus,
    pub blocking: bool,
    pub suppression: Option<SuppressionRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingStatus {
    Open,
    /// An inline `palisade-ignore` comment with a reason covers it.
    Suppressed,
    /// A policy exception covers it.
    Excepted,
    /// Its fingerprint is in the baseline.
    Baselined,
}

impl FindingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingStatus::Open => "open",
            FindingStatus::Suppressed => "suppressed",
            FindingStatus::Excepted => "excepted",
            FindingStatus::Baselined => "baselined",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppressionRecord {
    pub kind: SuppressionKind,
    pub reason: String,
    pub expires: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SuppressionKind {
    Inline,
    Exception,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiredException {
    pub rule: String,
    pub path: String,
    pub expired_on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSummary {
    pub id: String,
    pub family: Family,
    pub severity: Severity,
    pub confidence: Confidence,
    pub title: String,
    pub description: String,
    pub remediation: String,
}

impl From<Decision> for std::process::ExitCode {
    fn from(decision: Decision) -> Self {
        std::process::ExitCode::from(decision.exit_code())
    }
}

impl Report {
    pub fn blocking_count(&self) -> usize {
        self.findings.iter().filter(|finding| finding.blocking).count()
    }

    pub fn rule(&self, id: &str) -> Option<&RuleSummary> {
        self.rules.iter().find(|rule| rule.id == id)
    }
}
