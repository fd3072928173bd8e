//! The `changes` table: written once with the event that announced each, listed with filters,
//! and acknowledged.

use crate::error::SurfaceError;
use crate::model::{AssetId, Change, ChangeFilter, ChangeId, ScanId, SnapshotId};
use chrono::{DateTime, Utc};
use platform::outbox::Severity;
use platform::{EventId, TenantTx, UserId};

const COLUMNS: &str = "id, asset_id, scan_id, snapshot_id, kind, severity, address, server_name, \
    port, before, after, event_id, acked_at, acked_by, created_at";

#[derive(sqlx::FromRow)]
struct ChangeRow {
    id: ChangeId,
    asset_id: AssetId,
    scan_id: ScanId,
    snapshot_id: SnapshotId,
    kind: String,
    severity: String,
    address: String,
    server_name: Option<String>,
    port: Option<i32>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    event_id: EventId,
    acked_at: Option<DateTime<Utc>>,
    acked_by: Option<UserId>,
    created_at: DateTime<Utc>,
}

impl From<ChangeRow> for Change {
    fn from(row: ChangeRow) -> Change {
        Change {
            id: row.id,
            asset_id: row.asset_id,
            scan_id: row.scan_id,
            snapshot_id: row.snapshot_id,
            kind: row.kind,
            severity: row.severity,
            address: row.address,
            server_name: row.server_name,
            port: row.port,
            before: row.before,
            after: row.after,
            event_id: row.event_id,
            acked_at: row.acked_at,
            acked_by: row.acked_by,
            created_at: row.created_at,
        }
    }
}

#[tracing::instrument(skip(tx, change), fields(kind = change.kind))]
pub(crate) async fn insert(tx: &mut TenantTx, change: &Change) -> Result<(), SurfaceError> {
    sqlx::query(
        "insert into changes (tenant_id, id, asset_id, scan_id, snapshot_id, kind, severity,
                              address, server_name, port, before, after, event_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(tx.tenant())
    .bind(change.id)
    .bind(change.asset_id)
    .bind(change.scan_id)
    .bind(change.snapshot_id)
    .bind(&change.kind)
    .bind(&change.severity)
    .bind(&change.address)
    .bind(&change.server_name)
    .bind(change.port)
    .bind(&change.before)
    .bind(&change.after)
    .bind(change.event_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get(tx: &mut TenantTx, id: ChangeId) -> Result<Option<Change>, SurfaceError> {
    let row: Option<ChangeRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from changes where tenant_id = $1 and id = $2"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(Into::into))
}

/// One page of the tenant's changes matching `filter`, newest first (ids are UUIDv7), after
/// `before` (exclusive).
#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    filter: &ChangeFilter,
    before: Option<ChangeId>,
    limit: i64,
) -> Result<Vec<Change>, SurfaceError> {
    let rows: Vec<ChangeRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from changes
          where tenant_id = $1
            and ($2::uuid is null or asset_id = $2)
            and (cardinality($3::text[]) = 0 or kind = any ($3))
            and ($4::text is null or severity_rank(severity) >= severity_rank($4))
            and ($5::boolean is null or (acked_at is not null) = $5)
            and ($6::timestamptz is null or created_at >= $6)
            and ($7::timestamptz is null or created_at < $7)
            and ($8::uuid is null or id < $8)
            and (cardinality($10::text[]) = 0 or severity = any ($10))
          order by id desc limit $9"
    )))
    .bind(tx.tenant())
    .bind(filter.asset_id)
    .bind(&filter.kinds)
    .bind(filter.min_severity.map(Severity::as_str))
    .bind(filter.acked)
    .bind(filter.since.map(|at| at.as_datetime()))
    .bind(filter.until.map(|at| at.as_datetime()))
    .bind(before)
    .bind(limit)
    .bind(&filter.severities)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Acknowledges the change (once: a second ack keeps the first's time and user).
#[tracing::instrument(skip(tx))]
pub(crate) async fn ack(
    tx: &mut TenantTx,
    id: ChangeId,
    by: Option<UserId>,
) -> Result<Option<(Change, bool)>, SurfaceError> {
    let row: Option<ChangeRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update changes set acked_at = now(), acked_by = $3
          where tenant_id = $1 and id = $2 and acked_at is null returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(by)
    .fetch_optional(&mut **tx)
    .await?;
    match row {
        Some(row) => Ok(Some((row.into(), true))),
        None => Ok(get(tx, id).await?.map(|change| (change, false))),
    }
}
