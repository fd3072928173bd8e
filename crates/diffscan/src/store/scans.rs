//! The `diffscan_scans` table (tenant-owned): a scan's request, its raw diff's whereabouts and
//! deletion marker, its decision, summary and signed artifact, and its pull request.

use crate::error::DiffscanError;
use crate::model::{
    BaselineId, DiffInfo, GithubRef, InstallationId, PolicyId, Requester, ScanFilter, ScanId,
    ScanRecord, ScanSource, ScanStatus, ScanSummary, WebhookDeliveryId,
};
use chrono::{DateTime, Utc};
use diffscan_engine::Decision;
use platform::TenantTx;

const COLUMNS: &str = "id, status, source, name, policy_id, baseline_id, actor_type, actor_id, \
    diff_sha256, diff_bytes, diff_key, diff_expires_at, diff_deleted_at, diff_deletion_reason, \
    decision, degraded, error, findings_count, blocking_count, summary, artifact_key_id, \
    github_installation_id, github_repository, github_pull_request, github_head_sha, \
    github_check_run_id, github_delivery_id, created_at, started_at, completed_at";

#[derive(sqlx::FromRow)]
struct ScanRow {
    id: ScanId,
    status: String,
    source: String,
    name: String,
    policy_id: Option<PolicyId>,
    baseline_id: Option<BaselineId>,
    actor_type: String,
    actor_id: Option<uuid::Uuid>,
    diff_sha256: Option<String>,
    diff_bytes: Option<i64>,
    diff_key: Option<String>,
    diff_expires_at: DateTime<Utc>,
    diff_deleted_at: Option<DateTime<Utc>>,
    diff_deletion_reason: Option<String>,
    decision: Option<String>,
    degraded: bool,
    error: Option<String>,
    findings_count: i32,
    blocking_count: i32,
    summary: serde_json::Value,
    artifact_key_id: Option<String>,
    github_installation_id: Option<InstallationId>,
    github_repository: Option<String>,
    github_pull_request: Option<i32>,
    github_head_sha: Option<String>,
    github_check_run_id: Option<i64>,
    github_delivery_id: Option<WebhookDeliveryId>,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    completed_at: Option<DateTime<Utc>>,
}

pub(crate) fn parse_decision(text: &str) -> Option<Decision> {
    [Decision::Pass, Decision::Fail, Decision::Error].into_iter().find(|d| d.as_str() == text)
}

impl TryFrom<ScanRow> for ScanRecord {
    type Error = DiffscanError;

    fn try_from(row: ScanRow) -> Result<ScanRecord, DiffscanError> {
        let broken = |what: &str| anyhow::anyhow!("scan {} has an invalid {what}", row.id);
        let status = ScanStatus::parse(&row.status).ok_or_else(|| broken("status"))?;
        let source = ScanSource::parse(&row.source).ok_or_else(|| broken("source"))?;
        let decision = match &row.decision {
            Some(text) => Some(parse_decision(text).ok_or_else(|| broken("decision"))?),
            None => None,
        };
        let summary: ScanSummary = serde_json::from_value(row.summary.clone()).unwrap_or_default();
        let github = match (row.github_repository, row.github_pull_request) {
            (Some(repository), Some(pull_request)) => Some(GithubRef {
                installation_id: row.github_installation_id,
                repository,
                pull_request,
                head_sha: row.github_head_sha,
                check_run_id: row.github_check_run_id,
                delivery_id: row.github_delivery_id,
            }),
            _ => None,
        };
        Ok(ScanRecord {
            id: row.id,
            status,
            source,
            name: row.name,
            policy_id: row.policy_id,
            baseline_id: row.baseline_id,
            requested_by: Requester { kind: row.actor_type, id: row.actor_id },
            diff: DiffInfo {
                sha256: row.diff_sha256,
                bytes: row.diff_bytes,
                stored: row.diff_key.is_some() && row.diff_deleted_at.is_none(),
                expires_at: row.diff_expires_at,
                deleted_at: row.diff_deleted_at,
                deletion_reason: row.diff_deletion_reason,
            },
            decision,
            degraded: row.degraded,
            error: row.error,
            findings_count: row.findings_count,
            blocking_count: row.blocking_count,
            summary,
            artifact_key_id: row.artifact_key_id,
            github,
            created_at: row.created_at,
            started_at: row.started_at,
            completed_at: row.completed_at,
        })
    }
}

/// What a new scan row is written from.
#[derive(Debug)]
pub(crate) struct NewScan<'a> {
    pub id: ScanId,
    pub source: ScanSource,
    pub name: &'a str,
    pub policy_id: Option<PolicyId>,
    pub baseline_id: Option<BaselineId>,
    pub requester: &'a Requester,
    /// Digest, size and object key of a diff stored before the row.
    pub diff: Option<(&'a str, i64, &'a str)>,
    pub diff_expires_at: DateTime<Utc>,
    pub github: Option<&'a GithubRef>,
}

#[tracing::instrument(skip(tx, scan), fields(id = %scan.id))]
pub(crate) async fn insert(
    tx: &mut TenantTx,
    scan: &NewScan<'_>,
) -> Result<ScanRecord, DiffscanError> {
    let github = scan.github;
    let row: ScanRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into diffscan_scans (tenant_id, id, source, name, policy_id, baseline_id,
                actor_type, actor_id, diff_sha256, diff_bytes, diff_key, diff_expires_at,
                github_installation_id, github_repository, github_pull_request, github_head_sha,
                github_delivery_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(scan.id)
    .bind(scan.source.as_str())
    .bind(scan.name)
    .bind(scan.policy_id)
    .bind(scan.baseline_id)
    .bind(&scan.requester.kind)
    .bind(scan.requester.id)
    .bind(scan.diff.map(|d| d.0))
    .bind(scan.diff.map(|d| d.1))
    .bind(scan.diff.map(|d| d.2))
    .bind(scan.diff_expires_at)
    .bind(github.and_then(|g| g.installation_id))
    .bind(github.map(|g| g.repository.as_str()))
    .bind(github.map(|g| g.pull_request))
    .bind(github.and_then(|g| g.head_sha.as_deref()))
    .bind(github.and_then(|g| g.delivery_id))
    .fetch_one(&mut **tx)
    .await?;
    row.try_into()
}

/// The scan `id` of the tenant, locked for update when `for_update`.
#[tracing::instrument(skip(tx))]
pub(crate) async fn get(
    tx: &mut TenantTx,
    id: ScanId,
    for_update: bool,
) -> Result<Option<ScanRecord>, DiffscanError> {
    let lock = if for_update { "for update" } else { "" };
    let row: Option<ScanRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_scans where tenant_id = $1 and id = $2 {lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(ScanRecord::try_from).transpose()
}

/// One page of the tenant's scans matching `filter`, newest first, after `before` (exclusive).
#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    filter: &ScanFilter,
    before: Option<ScanId>,
    limit: i64,
) -> Result<Vec<ScanRecord>, DiffscanError> {
    let rows: Vec<ScanRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_scans
          where tenant_id = $1
            and ($2::text is null or status = $2)
            and ($3::text is null or decision = $3)
            and ($4::text is null or source = $4)
            and ($5::text is null or lower(github_repository) = lower($5))
            and ($6::uuid is null or id < $6)
          order by id desc limit $7"
    )))
    .bind(tx.tenant())
    .bind(filter.status.map(ScanStatus::as_str))
    .bind(filter.decision.map(Decision::as_str))
    .bind(filter.source.map(ScanSource::as_str))
    .bind(filter.repository.as_deref())
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter().map(ScanRecord::try_from).collect()
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn mark_running(tx: &mut TenantTx, id: ScanId) -> sqlx::Result<()> {
    sqlx::query(
        "update diffscan_scans set status = 'running', started_at = coalesce(started_at, now()),
                updated_at = now()
          where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Records the diff fetched for a pull-request scan.
#[tracing::instrument(skip(tx))]
pub(crate) async fn set_diff(
    tx: &mut TenantTx,
    id: ScanId,
    sha256: &str,
    bytes: i64,
    key: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "update diffscan_scans set diff_sha256 = $3, diff_bytes = $4, diff_key = $5,
                updated_at = now()
          where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(sha256)
    .bind(bytes)
    .bind(key)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Records the pull request's head commit and its check run.
#[tracing::instrument(skip(tx))]
pub(crate) async fn set_check_run(
    tx: &mut TenantTx,
    id: ScanId,
    head_sha: &str,
    check_run_id: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update diffscan_scans set github_head_sha = $3,
                github_check_run_id = coalesce($4, github_check_run_id), updated_at = now()
          where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(head_sha)
    .bind(check_run_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// What a finished scan records.
#[derive(Debug)]
pub(crate) struct Outcome<'a> {
    pub status: ScanStatus,
    pub decision: Decision,
    pub degraded: bool,
    pub error: Option<&'a str>,
    pub findings_count: i32,
    pub blocking_count: i32,
    pub summary: &'a ScanSummary,
    pub artifact: Option<&'a [u8]>,
    pub artifact_key_id: Option<&'a str>,
}

#[tracing::instrument(skip(tx, outcome), fields(decision = outcome.decision.as_str()))]
pub(crate) async fn finish(
    tx: &mut TenantTx,
    id: ScanId,
    outcome: &Outcome<'_>,
) -> Result<ScanRecord, DiffscanError> {
    let row: ScanRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update diffscan_scans set status = $3, decision = $4, degraded = $5, error = $6,
                findings_count = $7, blocking_count = $8, summary = $9, artifact = $10,
                artifact_key_id = $11, started_at = coalesce(started_at, now()),
                completed_at = now(), updated_at = now()
          where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(outcome.status.as_str())
    .bind(outcome.decision.as_str())
    .bind(outcome.degraded)
    .bind(outcome.error)
    .bind(outcome.findings_count)
    .bind(outcome.blocking_count)
    .bind(serde_json::to_value(outcome.summary).map_err(anyhow::Error::new)?)
    .bind(outcome.artifact)
    .bind(outcome.artifact_key_id)
    .fetch_one(&mut **tx)
    .await?;
    row.try_into()
}

/// The signed artifact of a scan, when it has one.
#[tracing::instrument(skip(tx))]
pub(crate) async fn artifact(tx: &mut TenantTx, id: ScanId) -> sqlx::Result<Option<Vec<u8>>> {
    sqlx::query_scalar("select artifact from diffscan_scans where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map(Option::flatten)
}

/// The object key of a scan's stored raw diff (none once purged).
#[tracing::instrument(skip(tx))]
pub(crate) async fn diff_key(tx: &mut TenantTx, id: ScanId) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "select diff_key from diffscan_scans
          where tenant_id = $1 and id = $2 and diff_deleted_at is null",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
    .map(Option::flatten)
}

/// Writes the deletion marker of a scan's raw diff.
#[tracing::instrument(skip(tx))]
pub(crate) async fn mark_purged(tx: &mut TenantTx, id: ScanId, reason: &str) -> sqlx::Result<()> {
    sqlx::query(
        "update diffscan_scans set diff_deleted_at = now(), diff_deletion_reason = $3,
                updated_at = now()
          where tenant_id = $1 and id = $2 and diff_deleted_at is null",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(reason)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Scans whose raw diff retention has expired by `now` (at most `limit`), oldest first.
#[tracing::instrument(skip(tx))]
pub(crate) async fn expired(
    tx: &mut TenantTx,
    now: DateTime<Utc>,
    limit: i64,
) -> sqlx::Result<Vec<(ScanId, String)>> {
    sqlx::query_as(
        "select id, diff_key from diffscan_scans
          where tenant_id = $1 and diff_deleted_at is null and diff_key is not null
            and diff_expires_at <= $2
          order by diff_expires_at limit $3",
    )
    .bind(tx.tenant())
    .bind(now)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}
