//! The `snapshots` table: written once per completed scan, read back as the baseline, the
//! previous snapshot, or for the API.

use crate::error::SurfaceError;
use crate::model::{AssetId, ScanId, SnapshotId, SnapshotRecord};
use chrono::{DateTime, Utc};
use platform::TenantTx;

#[derive(sqlx::FromRow)]
struct SnapshotRow {
    id: SnapshotId,
    asset_id: AssetId,
    scan_id: ScanId,
    sha256: String,
    hosts: i32,
    open_ports: i32,
    document: serde_json::Value,
    created_at: DateTime<Utc>,
}

impl From<SnapshotRow> for SnapshotRecord {
    fn from(row: SnapshotRow) -> SnapshotRecord {
        SnapshotRecord {
            id: row.id,
            asset_id: row.asset_id,
            scan_id: row.scan_id,
            sha256: row.sha256,
            hosts: row.hosts,
            open_ports: row.open_ports,
            document: row.document,
            created_at: row.created_at,
        }
    }
}

/// What a new snapshot is written from.
#[derive(Debug)]
pub(crate) struct NewSnapshot<'a> {
    pub id: SnapshotId,
    pub asset: AssetId,
    pub scan: ScanId,
    pub sha256: &'a str,
    pub hosts: i32,
    pub open_ports: i32,
    pub document: serde_json::Value,
}

const COLUMNS: &str = "id, asset_id, scan_id, sha256, hosts, open_ports, document, created_at";
/// The list leaves the documents out.
const SUMMARY: &str =
    "id, asset_id, scan_id, sha256, hosts, open_ports, 'null'::jsonb as document, created_at";

#[tracing::instrument(skip(tx, snapshot), fields(sha256 = snapshot.sha256))]
pub(crate) async fn insert(
    tx: &mut TenantTx,
    snapshot: NewSnapshot<'_>,
) -> Result<SnapshotRecord, SurfaceError> {
    let row: SnapshotRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into snapshots (tenant_id, id, asset_id, scan_id, sha256, hosts, open_ports, document)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(snapshot.id)
    .bind(snapshot.asset)
    .bind(snapshot.scan)
    .bind(snapshot.sha256)
    .bind(snapshot.hosts)
    .bind(snapshot.open_ports)
    .bind(snapshot.document)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.into())
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get(
    tx: &mut TenantTx,
    id: SnapshotId,
) -> Result<Option<SnapshotRecord>, SurfaceError> {
    let row: Option<SnapshotRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from snapshots where tenant_id = $1 and id = $2"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(Into::into))
}

/// The asset's newest snapshot.
#[tracing::instrument(skip(tx))]
pub(crate) async fn latest(
    tx: &mut TenantTx,
    asset: AssetId,
) -> Result<Option<SnapshotRecord>, SurfaceError> {
    let row: Option<SnapshotRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from snapshots where tenant_id = $1 and asset_id = $2
          order by id desc limit 1"
    )))
    .bind(tx.tenant())
    .bind(asset)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(Into::into))
}

/// One page of the asset's snapshots (without their documents), newest first.
#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    asset: AssetId,
    before: Option<SnapshotId>,
    limit: i64,
) -> Result<Vec<SnapshotRecord>, SurfaceError> {
    let rows: Vec<SnapshotRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {SUMMARY} from snapshots
          where tenant_id = $1 and asset_id = $2 and ($3::uuid is null or id < $3)
          order by id desc limit $4"
    )))
    .bind(tx.tenant())
    .bind(asset)
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}
