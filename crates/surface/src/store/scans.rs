//! The `scans` table: a scan is inserted `queued` (the partial unique index
//! `scans_one_active_key` refuses a second queued or running scan of the asset), then the
//! worker moves it to `running`, records its progress, and finishes it once.

use crate::error::SurfaceError;
use crate::model::{AssetId, Scan, ScanId, ScanProgress, ScanStatus, ScanTrigger, SnapshotId};
use chrono::{DateTime, Utc};
use platform::{TenantTx, UserId};

const COLUMNS: &str = "id, asset_id, trigger, status, ports, requested_by, progress_done, \
    progress_total, hosts_done, hosts_up, open_ports, changes, snapshot_id, error, \
    cancel_requested_at, queued_at, started_at, finished_at";

#[derive(sqlx::FromRow)]
struct ScanRow {
    id: ScanId,
    asset_id: AssetId,
    trigger: String,
    status: String,
    ports: String,
    requested_by: Option<UserId>,
    progress_done: i64,
    progress_total: i64,
    hosts_done: i32,
    hosts_up: Option<i32>,
    open_ports: Option<i32>,
    changes: Option<i32>,
    snapshot_id: Option<SnapshotId>,
    error: Option<String>,
    cancel_requested_at: Option<DateTime<Utc>>,
    queued_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
}

impl TryFrom<ScanRow> for Scan {
    type Error = SurfaceError;

    fn try_from(row: ScanRow) -> Result<Scan, SurfaceError> {
        let broken = |what: &str| anyhow::anyhow!("scan {} has an invalid {what}", row.id);
        Ok(Scan {
            id: row.id,
            asset_id: row.asset_id,
            trigger: ScanTrigger::parse(&row.trigger).ok_or_else(|| broken("trigger"))?,
            status: ScanStatus::parse(&row.status).ok_or_else(|| broken("status"))?,
            ports: row.ports,
            requested_by: row.requested_by,
            progress: ScanProgress {
                done: row.progress_done,
                total: row.progress_total,
                hosts_done: row.hosts_done,
            },
            hosts_up: row.hosts_up,
            open_ports: row.open_ports,
            changes: row.changes,
            snapshot_id: row.snapshot_id,
            error: row.error,
            cancel_requested_at: row.cancel_requested_at,
            queued_at: row.queued_at,
            started_at: row.started_at,
            finished_at: row.finished_at,
        })
    }
}

/// Queues a scan of `asset`; `ScanInProgress` when the asset already has one queued or running.
#[tracing::instrument(skip(tx))]
pub(crate) async fn insert(
    tx: &mut TenantTx,
    id: ScanId,
    asset: AssetId,
    trigger: ScanTrigger,
    ports: &str,
    requested_by: Option<UserId>,
) -> Result<Scan, SurfaceError> {
    let row: ScanRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into scans (tenant_id, id, asset_id, trigger, ports, requested_by)
         values ($1, $2, $3, $4, $5, $6) returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(asset)
    .bind(trigger.as_str())
    .bind(ports)
    .bind(requested_by)
    .fetch_one(&mut **tx)
    .await
    .map_err(|error| match super::constraint(&error) {
        Some("scans_one_active_key") => in_progress(),
        _ => SurfaceError::Unexpected(error.into()),
    })?;
    row.try_into()
}

pub(crate) fn in_progress() -> SurfaceError {
    SurfaceError::ScanInProgress(
        "the asset already has a queued or running scan; wait for it or cancel it".into(),
    )
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get(
    tx: &mut TenantTx,
    id: ScanId,
    for_update: bool,
) -> Result<Option<Scan>, SurfaceError> {
    let lock = if for_update { "for update" } else { "" };
    let row: Option<ScanRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from scans where tenant_id = $1 and id = $2 {lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Scan::try_from).transpose()
}

/// The queued or running scan of `asset`, if any.
#[tracing::instrument(skip(tx))]
pub(crate) async fn active(
    tx: &mut TenantTx,
    asset: AssetId,
) -> Result<Option<Scan>, SurfaceError> {
    let row: Option<ScanRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from scans
          where tenant_id = $1 and asset_id = $2 and status in ('queued', 'running')"
    )))
    .bind(tx.tenant())
    .bind(asset)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Scan::try_from).transpose()
}

/// One page of the asset's scans, newest first, after `before` (exclusive).
#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    asset: AssetId,
    before: Option<ScanId>,
    limit: i64,
) -> Result<Vec<Scan>, SurfaceError> {
    let rows: Vec<ScanRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from scans
          where tenant_id = $1 and asset_id = $2 and ($3::uuid is null or id < $3)
          order by id desc limit $4"
    )))
    .bind(tx.tenant())
    .bind(asset)
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter().map(Scan::try_from).collect()
}

/// The tenant's latest scans of any asset, newest first.
#[tracing::instrument(skip(tx))]
pub(crate) async fn latest(tx: &mut TenantTx, limit: i64) -> Result<Vec<Scan>, SurfaceError> {
    let rows: Vec<ScanRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from scans where tenant_id = $1 order by id desc limit $2"
    )))
    .bind(tx.tenant())
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter().map(Scan::try_from).collect()
}

/// `queued` (or `running`, for a scan whose worker died) to `running` from the start.
#[tracing::instrument(skip(tx))]
pub(crate) async fn start(tx: &mut TenantTx, id: ScanId, total: i64) -> Result<Scan, SurfaceError> {
    let row: ScanRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update scans set status = 'running', started_at = now(), progress_done = 0,
                progress_total = $3, hosts_done = 0
          where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(total)
    .fetch_one(&mut **tx)
    .await?;
    row.try_into()
}

/// Records progress of a running scan; answers whether a cancel was asked for meanwhile.
#[tracing::instrument(skip(tx))]
pub(crate) async fn progress(
    tx: &mut TenantTx,
    id: ScanId,
    progress: ScanProgress,
) -> sqlx::Result<bool> {
    let cancel: Option<Option<DateTime<Utc>>> = sqlx::query_scalar(
        "update scans set progress_done = $3, progress_total = $4, hosts_done = $5
          where tenant_id = $1 and id = $2 and status = 'running'
          returning cancel_requested_at",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(progress.done)
    .bind(progress.total)
    .bind(progress.hosts_done)
    .fetch_optional(&mut **tx)
    .await?;
    // Gone from `running` (cancelled while queued, or the asset deleted) counts as a cancel.
    Ok(!matches!(cancel, Some(None)))
}

/// Asks for a cancel: a queued scan is cancelled at once, a running one when the worker next
/// records progress. `None` when the scan had already ended.
#[tracing::instrument(skip(tx))]
pub(crate) async fn request_cancel(
    tx: &mut TenantTx,
    id: ScanId,
) -> Result<Option<Scan>, SurfaceError> {
    let row: Option<ScanRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update scans set cancel_requested_at = coalesce(cancel_requested_at, now()),
                status = case status when 'queued' then 'cancelled' else status end,
                finished_at = case status when 'queued' then now() else finished_at end
          where tenant_id = $1 and id = $2 and status in ('queued', 'running')
          returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Scan::try_from).transpose()
}

/// How a scan ended.
#[derive(Debug)]
pub(crate) enum Finish<'a> {
    Completed { snapshot: SnapshotId, hosts_up: i32, open_ports: i32, changes: i32 },
    Failed(&'a str),
    Cancelled,
}

/// Ends a queued or running scan (once: an ended scan is left as it is). Answers the scan as
/// ended, or `None` when it had already ended.
#[tracing::instrument(skip(tx))]
pub(crate) async fn finish(
    tx: &mut TenantTx,
    id: ScanId,
    finish: Finish<'_>,
) -> Result<Option<Scan>, SurfaceError> {
    let (status, snapshot, hosts_up, open_ports, changes, error) = match finish {
        Finish::Completed { snapshot, hosts_up, open_ports, changes } => (
            ScanStatus::Completed,
            Some(snapshot),
            Some(hosts_up),
            Some(open_ports),
            Some(changes),
            None,
        ),
        Finish::Failed(reason) => {
            let reason: String = reason.chars().take(1000).collect();
            (ScanStatus::Failed, None, None, None, None, Some(reason))
        }
        Finish::Cancelled => (ScanStatus::Cancelled, None, None, None, None, None),
    };
    let row: Option<ScanRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update scans set status = $3, snapshot_id = $4, hosts_up = $5, open_ports = $6,
                changes = $7, error = $8, finished_at = now(),
                progress_done = case when $3 = 'completed' then progress_total else progress_done end
          where tenant_id = $1 and id = $2 and status in ('queued', 'running')
          returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(status.as_str())
    .bind(snapshot)
    .bind(hosts_up)
    .bind(open_ports)
    .bind(changes)
    .bind(error)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Scan::try_from).transpose()
}
