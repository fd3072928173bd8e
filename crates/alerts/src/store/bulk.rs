//! `alert_bulk_jobs`: bulk changes by filter, their progress and their cancellation.

use crate::error::AlertsError;
use crate::model::{AlertId, BulkJob, BulkJobId, BulkJobStatus};
use chrono::{DateTime, Utc};
use platform::TenantTx;
use uuid::Uuid;

const COLUMNS: &str = "id, action, params, filter, status, total, processed, changed, position, \
                       error, actor_type, actor_id, created_at, started_at, finished_at, \
                       cancel_requested_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: BulkJobId,
    params: serde_json::Value,
    filter: serde_json::Value,
    status: String,
    total: i64,
    processed: i64,
    changed: i64,
    position: Option<AlertId>,
    error: Option<String>,
    actor_type: String,
    actor_id: Option<Uuid>,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    cancel_requested_at: Option<DateTime<Utc>>,
}

/// A job with what its runner needs besides the public view.
#[derive(Debug)]
pub(crate) struct Stored {
    pub job: BulkJob,
    pub position: Option<AlertId>,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
}

impl TryFrom<Row> for Stored {
    type Error = AlertsError;
    fn try_from(row: Row) -> Result<Stored, AlertsError> {
        let status = BulkJobStatus::parse(&row.status)
            .ok_or_else(|| anyhow::anyhow!("bulk job {} has status {}", row.id, row.status))?;
        Ok(Stored {
            job: BulkJob {
                id: row.id,
                action: serde_json::from_value(row.params)?,
                filter: serde_json::from_value(row.filter)?,
                status,
                total: row.total,
                processed: row.processed,
                changed: row.changed,
                error: row.error,
                created_at: row.created_at,
                started_at: row.started_at,
                finished_at: row.finished_at,
                cancel_requested_at: row.cancel_requested_at,
            },
            position: row.position,
            actor_type: row.actor_type,
            actor_id: row.actor_id,
        })
    }
}

#[tracing::instrument(skip(tx, job))]
pub(crate) async fn insert(
    tx: &mut TenantTx,
    job: &BulkJob,
    actor_type: &str,
    actor_id: Option<Uuid>,
) -> Result<(), AlertsError> {
    sqlx::query(
        "insert into alert_bulk_jobs (tenant_id, id, action, params, filter, total, actor_type,
                                      actor_id, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(tx.tenant())
    .bind(job.id)
    .bind(job.action.name())
    .bind(serde_json::to_value(&job.action)?)
    .bind(serde_json::to_value(&job.filter)?)
    .bind(job.total)
    .bind(actor_type)
    .bind(actor_id)
    .bind(job.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get(
    tx: &mut TenantTx,
    id: BulkJobId,
    lock: bool,
) -> Result<Option<Stored>, AlertsError> {
    let lock = if lock { " for update" } else { "" };
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from alert_bulk_jobs where tenant_id = $1 and id = $2{lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Stored::try_from).transpose()
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    before: Option<BulkJobId>,
    limit: i64,
) -> Result<Vec<BulkJob>, AlertsError> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from alert_bulk_jobs where tenant_id = $1 and ($2::uuid is null or id < $2)
          order by id desc limit $3"
    )))
    .bind(tx.tenant())
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter().map(|r| Stored::try_from(r).map(|s| s.job)).collect()
}

/// Records a chunk's progress (and, with `status`, a new status).
#[tracing::instrument(skip(tx))]
pub(crate) async fn progress(
    tx: &mut TenantTx,
    id: BulkJobId,
    status: BulkJobStatus,
    processed: i64,
    changed: i64,
    position: Option<AlertId>,
    error: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update alert_bulk_jobs
            set status = $3, processed = processed + $4, changed = changed + $5,
                position = coalesce($6, position), error = coalesce($7, error),
                started_at = coalesce(started_at, now()),
                finished_at = case when $3 in ('succeeded', 'failed', 'cancelled') then now() end
          where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(status.as_str())
    .bind(processed)
    .bind(changed)
    .bind(position)
    .bind(error)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Asks a job to stop; a job that has not started is cancelled at once.
#[tracing::instrument(skip(tx))]
pub(crate) async fn request_cancel(tx: &mut TenantTx, id: BulkJobId) -> sqlx::Result<()> {
    sqlx::query(
        "update alert_bulk_jobs
            set cancel_requested_at = coalesce(cancel_requested_at, now()),
                status = case when status = 'queued' then 'cancelled' else status end,
                finished_at = case when status = 'queued' then now() else finished_at end
          where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
