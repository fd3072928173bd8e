//! `/v1/diffscans`: request a scan of a raw diff or a pull request (`DIFFSCAN_RUN`, idempotent
//! under `Idempotency-Key`), read scans, their findings, signed artifact and views
//! (`DIFFSCAN_VIEW`), fetch or purge a raw diff (`DIFFSCAN_RUN`), and the keys that verify
//! artifacts (`/v1/diffscan/signing-keys`).

pub mod artifact;
pub mod create;
pub mod diff;
pub mod findings;
pub mod get_one;
pub mod list;
pub mod purge;
pub mod report_html;
pub mod report_sarif;
pub mod signing_keys;

use crate::guard;
use chrono::{DateTime, Utc};
use diffscan::model::{
    BaselineId, FindingRecord, InstallationId, PolicyId, ScanId, ScanRecord, WebhookDeliveryId,
};
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use platform::access::Permission;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let run = || Access::Permission(Permission::DIFFSCAN_RUN);
    let view = || Access::Permission(Permission::DIFFSCAN_VIEW);
    OpenApiRouter::new()
        .routes(guard(run(), Tier::Expensive, routes!(create::create)))
        .routes(guard(view(), Tier::General, routes!(list::list)))
        .routes(guard(view(), Tier::General, routes!(get_one::get_one)))
        .routes(guard(view(), Tier::General, routes!(findings::findings)))
        .routes(guard(view(), Tier::General, routes!(artifact::artifact)))
        .routes(guard(view(), Tier::General, routes!(report_html::report_html)))
        .routes(guard(view(), Tier::General, routes!(report_sarif::report_sarif)))
        .routes(guard(run(), Tier::General, routes!(diff::diff)))
        .routes(guard(run(), Tier::General, routes!(purge::purge)))
        .routes(guard(view(), Tier::General, routes!(signing_keys::signing_keys)))
}

/// Who asked for a scan.
#[derive(Serialize, ToSchema)]
pub struct RequesterItem {
    /// `user`, `api_key`, `system` or `github` (a webhook delivery).
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Option<uuid::Uuid>,
}

/// The scanned diff: what it was, and where it is.
#[derive(Serialize, ToSchema)]
pub struct DiffItem {
    /// Hex SHA-256 of the scanned bytes (null until a pull request's diff is fetched).
    pub sha256: Option<String>,
    pub bytes: Option<i64>,
    /// The raw diff is in the object store (`GET /v1/diffscans/{id}/diff`).
    pub stored: bool,
    /// When retention purges the raw diff.
    pub expires_at: DateTime<Utc>,
    /// The deletion marker: when the raw diff was purged…
    pub deleted_at: Option<DateTime<Utc>>,
    /// …and why: `retention` or `request`.
    pub deletion_reason: Option<String>,
}

/// Findings by status.
#[derive(Serialize, ToSchema)]
pub struct CountsItem {
    /// Every finding, listed or not.
    pub total: i32,
    /// Open findings whose severity and confidence block under the profile.
    pub blocking: i32,
    pub open: usize,
    pub suppressed: usize,
    pub excepted: usize,
    pub baselined: usize,
    /// Beyond 25 of one rule in one file: counted for the decision, not listed.
    pub omitted: usize,
}

/// What the diff held.
#[derive(Serialize, ToSchema)]
pub struct StatsItem {
    pub files: usize,
    pub hunks: usize,
    pub added_lines: usize,
    pub removed_lines: usize,
    pub binary_files: usize,
}

/// Why the engine could not look at the whole diff.
#[derive(Serialize, ToSchema)]
pub struct ScanErrorItem {
    /// `input-too-large`, `too-many-files` or `not-a-diff`.
    pub code: String,
    pub message: String,
}

/// An exception that expired and no longer applies.
#[derive(Serialize, ToSchema)]
pub struct ExpiredExceptionItem {
    pub rule: String,
    pub path: String,
    pub expired_on: chrono::NaiveDate,
    pub reason: String,
}

/// The engine and rules a scan ran with.
#[derive(Serialize, ToSchema)]
pub struct EngineItem {
    pub version: String,
    /// SHA-256 over the loaded packs: names the exact rules that ran.
    pub rules_digest: String,
    pub rule_count: usize,
    /// The profile the decision was made under.
    pub profile: Option<String>,
    /// `fail-closed` or `fail-open`.
    pub on_error: Option<String>,
}

/// The pull request a scan is about.
#[derive(Serialize, ToSchema)]
pub struct GithubItem {
    pub installation_id: Option<InstallationId>,
    pub repository: String,
    pub pull_request: i32,
    pub head_sha: Option<String>,
    pub check_run_id: Option<i64>,
    pub delivery_id: Option<WebhookDeliveryId>,
}

/// A scan and, once finished, its decision.
#[derive(Serialize, ToSchema)]
pub struct ScanItem {
    pub id: ScanId,
    /// `queued`, `running`, `completed` (the engine decided) or `failed` (the service could not
    /// scan; the decision then follows the policy's `on_error`).
    pub status: String,
    /// `api` or `github`.
    pub source: String,
    /// The subject the signed result names.
    pub name: String,
    pub policy_id: Option<PolicyId>,
    pub baseline_id: Option<BaselineId>,
    pub requested_by: RequesterItem,
    pub diff: DiffItem,
    /// `pass`, `fail` or `error`; null until the scan finished.
    pub decision: Option<String>,
    /// The decision rests on a partial scan (fail-open after an error): not a real pass.
    pub degraded: bool,
    /// Why a failed scan failed.
    pub error: Option<String>,
    pub findings: CountsItem,
    pub stats: StatsItem,
    pub scan_errors: Vec<ScanErrorItem>,
    pub expired_exceptions: Vec<ExpiredExceptionItem>,
    pub engine: Option<EngineItem>,
    /// The key the artifact is signed with (`GET /v1/diffscan/signing-keys`).
    pub artifact_key_id: Option<String>,
    pub github: Option<GithubItem>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
}

impl From<ScanRecord> for ScanItem {
    fn from(scan: ScanRecord) -> Self {
        let summary = scan.summary;
        ScanItem {
            id: scan.id,
            status: scan.status.as_str().to_string(),
            source: scan.source.as_str().to_string(),
            name: scan.name,
            policy_id: scan.policy_id,
            baseline_id: scan.baseline_id,
            requested_by: RequesterItem { kind: scan.requested_by.kind, id: scan.requested_by.id },
            diff: DiffItem {
                sha256: scan.diff.sha256,
                bytes: scan.diff.bytes,
                stored: scan.diff.stored,
                expires_at: scan.diff.expires_at,
                deleted_at: scan.diff.deleted_at,
                deletion_reason: scan.diff.deletion_reason,
            },
            decision: scan.decision.map(|d| d.as_str().to_string()),
            degraded: scan.degraded,
            error: scan.error,
            findings: CountsItem {
                total: scan.findings_count,
                blocking: scan.blocking_count,
                open: summary.counts.open,
                suppressed: summary.counts.suppressed,
                excepted: summary.counts.excepted,
                baselined: summary.counts.baselined,
                omitted: summary.counts.omitted,
            },
            stats: StatsItem {
                files: summary.stats.files,
                hunks: summary.stats.hunks,
                added_lines: summary.stats.added_lines,
                removed_lines: summary.stats.removed_lines,
                binary_files: summary.stats.binary_files,
            },
            scan_errors: summary
                .errors
                .iter()
                .map(|e| ScanErrorItem {
                    code: serde_json::to_value(e.code)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    message: e.message.clone(),
                })
                .collect(),
            expired_exceptions: summary
                .expired_exceptions
                .iter()
                .map(|e| ExpiredExceptionItem {
                    rule: e.rule.clone(),
                    path: e.path.clone(),
                    expired_on: e.expired_on,
                    reason: e.reason.clone(),
                })
                .collect(),
            engine: summary.engine.map(|engine| EngineItem {
                version: engine.version,
                rules_digest: engine.rules_digest,
                rule_count: engine.rule_count,
                profile: summary.policy.as_ref().map(|p| p.profile.clone()),
                on_error: summary.policy.as_ref().and_then(|p| {
                    serde_json::to_value(p.on_error)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                }),
            }),
            artifact_key_id: scan.artifact_key_id,
            github: scan.github.map(|g| GithubItem {
                installation_id: g.installation_id,
                repository: g.repository,
                pull_request: g.pull_request,
                head_sha: g.head_sha,
                check_run_id: g.check_run_id,
                delivery_id: g.delivery_id,
            }),
            created_at: scan.created_at,
            started_at: scan.started_at,
            completed_at: scan.completed_at,
        }
    }
}

/// How a finding was accepted.
#[derive(Serialize, ToSchema)]
pub struct SuppressionItem {
    /// `inline` (a `palisade-ignore` comment with a reason) or `exception` (a policy exception).
    pub kind: Option<String>,
    pub reason: Option<String>,
    pub expires: Option<String>,
}

/// One finding of a scan. Never raw diff content: the snippet is display-safe and redacted.
#[derive(Serialize, ToSchema)]
pub struct FindingItem {
    /// Position in the report (findings are sorted by path, line, rule).
    pub ordinal: i32,
    pub rule_id: String,
    /// `hidden-text`, `prompt-injection`, `ci-cd`, `execution`, `secrets`, `injection-sink`,
    /// `integrity` or `policy`.
    pub family: String,
    /// `info`, `low`, `medium`, `high` or `critical`.
    pub severity: String,
    /// `low`, `medium` or `high`.
    pub confidence: String,
    pub title: String,
    pub message: String,
    pub path: Option<String>,
    pub start_line: Option<i32>,
    pub end_line: Option<i32>,
    /// Line of the diff input, for findings about the diff's structure.
    pub diff_line: Option<i64>,
    pub snippet: String,
    /// Rule + path + hash of the matched content: put it in a baseline to accept the finding.
    pub fingerprint: String,
    /// `open`, `suppressed`, `excepted` or `baselined`.
    pub status: String,
    pub blocking: bool,
    pub suppression: Option<SuppressionItem>,
}

impl From<FindingRecord> for FindingItem {
    fn from(finding: FindingRecord) -> Self {
        let field = |name: &str| {
            finding
                .suppression
                .as_ref()
                .and_then(|s| s.get(name))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let suppression = finding.suppression.as_ref().map(|_| SuppressionItem {
            kind: field("kind"),
            reason: field("reason"),
            expires: field("expires"),
        });
        FindingItem {
            ordinal: finding.ordinal,
            rule_id: finding.rule_id,
            family: finding.family,
            severity: finding.severity,
            confidence: finding.confidence,
            title: finding.title,
            message: finding.message,
            path: finding.path,
            start_line: finding.start_line,
            end_line: finding.end_line,
            diff_line: finding.diff_line,
            snippet: finding.snippet,
            fingerprint: finding.fingerprint,
            status: finding.status,
            blocking: finding.blocking,
            suppression,
        }
    }
}
