//! The `assets` table: insert, read, list, change, delete, and the authorization, baseline and
//! schedule columns the service moves an asset through.

use crate::error::SurfaceError;
use crate::model::{
    Asset, AssetFilter, AssetId, AssetStatus, AuthMethod, Authorization, Challenge, Ports,
    SnapshotId, Tags,
};
use crate::schedule::Schedule;
use chrono::{DateTime, Utc};
use platform::{TenantTx, UserId};
use surface_engine::diff::ExpiryAnnouncements;
use surface_engine::values::{AssetKind, AssetValue};

const COLUMNS: &str = "id, kind, value, ports, tags, schedule, status, status_reason, \
    challenge_token, challenge_issued_at, authorized_method, authorized_at, \
    authorization_checked_at, attested_by, attestation_reason, baseline_snapshot_id, \
    next_scan_at, last_scan_at, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct AssetRow {
    id: AssetId,
    kind: String,
    value: String,
    ports: String,
    tags: Vec<String>,
    schedule: Option<String>,
    status: String,
    status_reason: Option<String>,
    challenge_token: Option<String>,
    challenge_issued_at: Option<DateTime<Utc>>,
    authorized_method: Option<String>,
    authorized_at: Option<DateTime<Utc>>,
    authorization_checked_at: Option<DateTime<Utc>>,
    attested_by: Option<UserId>,
    attestation_reason: Option<String>,
    baseline_snapshot_id: Option<SnapshotId>,
    next_scan_at: Option<DateTime<Utc>>,
    last_scan_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<AssetRow> for Asset {
    type Error = SurfaceError;

    fn try_from(row: AssetRow) -> Result<Asset, SurfaceError> {
        let broken = |what: &str| anyhow::anyhow!("asset {} has an invalid {what}", row.id);
        let kind = AssetKind::parse(&row.kind).map_err(|_| broken("kind"))?;
        let value = AssetValue::parse(kind, &row.value).map_err(|_| broken("value"))?;
        let ports = Ports::parse(&row.ports).map_err(|_| broken("port list"))?;
        let tags = Tags::parse(&row.tags).map_err(|_| broken("tag"))?;
        let schedule = row
            .schedule
            .as_deref()
            .map(Schedule::parse)
            .transpose()
            .map_err(|_| broken("schedule"))?;
        let status = AssetStatus::parse(&row.status).ok_or_else(|| broken("status"))?;
        let challenge = match (row.challenge_token, row.challenge_issued_at) {
            (Some(token), Some(issued_at)) => Some(Challenge { token, issued_at }),
            _ => None,
        };
        let authorization = match (row.authorized_method, row.authorized_at) {
            (Some(method), Some(authorized_at)) => Some(Authorization {
                method: AuthMethod::parse(&method).ok_or_else(|| broken("method"))?,
                authorized_at,
                checked_at: row.authorization_checked_at.unwrap_or(authorized_at),
                attested_by: row.attested_by,
                reason: row.attestation_reason,
            }),
            _ => None,
        };
        Ok(Asset {
            id: row.id,
            value,
            ports,
            tags,
            schedule,
            status,
            status_reason: row.status_reason,
            challenge,
            authorization,
            baseline_snapshot_id: row.baseline_snapshot_id,
            next_scan_at: row.next_scan_at,
            last_scan_at: row.last_scan_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// What a new asset is written from.
#[derive(Debug)]
pub(crate) struct NewAsset<'a> {
    pub id: AssetId,
    pub value: &'a AssetValue,
    pub ports: &'a Ports,
    pub tags: &'a Tags,
    pub schedule: Option<&'a Schedule>,
    pub next_scan_at: Option<DateTime<Utc>>,
}

#[tracing::instrument(skip(tx, asset), fields(value = %asset.value))]
pub(crate) async fn insert(tx: &mut TenantTx, asset: &NewAsset<'_>) -> Result<Asset, SurfaceError> {
    let row: AssetRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into assets (tenant_id, id, kind, value, ports, tags, schedule, next_scan_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(asset.id)
    .bind(asset.value.kind().as_str())
    .bind(asset.value.to_string())
    .bind(asset.ports.as_str())
    .bind(asset.tags.as_slice())
    .bind(asset.schedule.map(ToString::to_string))
    .bind(asset.next_scan_at)
    .fetch_one(&mut **tx)
    .await
    .map_err(|error| match super::constraint(&error) {
        Some("assets_value_key") => {
            SurfaceError::AssetExists(format!("the tenant already monitors `{}`", asset.value))
        }
        _ => SurfaceError::Unexpected(error.into()),
    })?;
    row.try_into()
}

/// The asset `id` of the tenant, locked for update when `for_update`.
#[tracing::instrument(skip(tx))]
pub(crate) async fn get(
    tx: &mut TenantTx,
    id: AssetId,
    for_update: bool,
) -> Result<Option<Asset>, SurfaceError> {
    let lock = if for_update { "for update" } else { "" };
    let row: Option<AssetRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from assets where tenant_id = $1 and id = $2 {lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Asset::try_from).transpose()
}

/// One page of the tenant's assets matching `filter`, newest first, after `before` (exclusive).
#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    filter: &AssetFilter,
    before: Option<AssetId>,
    limit: i64,
) -> Result<Vec<Asset>, SurfaceError> {
    let rows: Vec<AssetRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from assets
          where tenant_id = $1
            and ($2::text is null or kind = $2)
            and ($3::text is null or status = $3)
            and ($4::text is null or $4 = any (tags))
            and ($5::uuid is null or id < $5)
          order by id desc limit $6"
    )))
    .bind(tx.tenant())
    .bind(filter.kind.map(AssetKind::as_str))
    .bind(filter.status.map(AssetStatus::as_str))
    .bind(filter.tag.as_deref())
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter().map(Asset::try_from).collect()
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn count(tx: &mut TenantTx) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from assets where tenant_id = $1")
        .bind(tx.tenant())
        .fetch_one(&mut **tx)
        .await
}

/// Writes the changeable settings of an asset (ports, tags, schedule and its next run).
#[tracing::instrument(skip(tx, ports, tags, schedule))]
pub(crate) async fn update_settings(
    tx: &mut TenantTx,
    id: AssetId,
    ports: &Ports,
    tags: &Tags,
    schedule: Option<&Schedule>,
    next_scan_at: Option<DateTime<Utc>>,
) -> Result<Asset, SurfaceError> {
    let row: AssetRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update assets set ports = $3, tags = $4, schedule = $5, next_scan_at = $6,
                updated_at = now()
          where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(ports.as_str())
    .bind(tags.as_slice())
    .bind(schedule.map(ToString::to_string))
    .bind(next_scan_at)
    .fetch_one(&mut **tx)
    .await?;
    row.try_into()
}

/// Issues a new challenge: the asset is `verifying`, any earlier authorization is gone.
#[tracing::instrument(skip(tx, token))]
pub(crate) async fn issue_challenge(
    tx: &mut TenantTx,
    id: AssetId,
    token: &str,
) -> Result<Asset, SurfaceError> {
    let row: AssetRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update assets set challenge_token = $3, challenge_issued_at = now(), status = 'verifying',
                status_reason = null, authorized_method = null, authorized_at = null,
                authorization_checked_at = null, attested_by = null, attestation_reason = null,
                updated_at = now()
          where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(token)
    .fetch_one(&mut **tx)
    .await?;
    row.try_into()
}

/// Records a proof: `authorized` by `method` (and, for an attestation, who and why).
#[tracing::instrument(skip(tx, reason))]
pub(crate) async fn authorize(
    tx: &mut TenantTx,
    id: AssetId,
    method: AuthMethod,
    attested_by: Option<UserId>,
    reason: Option<&str>,
) -> Result<Asset, SurfaceError> {
    let row: AssetRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update assets set status = 'authorized', status_reason = null, authorized_method = $3,
                authorized_at = now(), authorization_checked_at = now(), attested_by = $4,
                attestation_reason = $5, updated_at = now()
          where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(method.as_str())
    .bind(attested_by)
    .bind(reason)
    .fetch_one(&mut **tx)
    .await?;
    row.try_into()
}

/// Moves the asset to `status` (`failed` or `revoked`) with the reason; the authorization is
/// cleared, the challenge kept (the owner may publish it again and verify).
#[tracing::instrument(skip(tx, reason))]
pub(crate) async fn set_unproven(
    tx: &mut TenantTx,
    id: AssetId,
    status: AssetStatus,
    reason: &str,
) -> Result<Asset, SurfaceError> {
    let reason: String = reason.chars().take(1000).collect();
    let row: AssetRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update assets set status = $3, status_reason = $4, authorized_method = null,
                authorized_at = null, authorization_checked_at = null, attested_by = null,
                attestation_reason = null, updated_at = now()
          where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(status.as_str())
    .bind(&reason)
    .fetch_one(&mut **tx)
    .await?;
    row.try_into()
}

/// The proof held on a re-check.
#[tracing::instrument(skip(tx))]
pub(crate) async fn mark_checked(tx: &mut TenantTx, id: AssetId) -> sqlx::Result<()> {
    sqlx::query(
        "update assets set authorization_checked_at = now() where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// The values of the tenant's authorized domains (for reverse DNS).
#[tracing::instrument(skip(tx))]
pub(crate) async fn authorized_domains(tx: &mut TenantTx) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "select value from assets
          where tenant_id = $1 and kind = 'domain' and status = 'authorized' order by value",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn set_baseline(
    tx: &mut TenantTx,
    id: AssetId,
    snapshot: SnapshotId,
) -> Result<Asset, SurfaceError> {
    let row: AssetRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update assets set baseline_snapshot_id = $3, updated_at = now()
          where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(snapshot)
    .fetch_one(&mut **tx)
    .await?;
    row.try_into()
}

/// The certificates already announced as expiring.
#[tracing::instrument(skip(tx))]
pub(crate) async fn announcements(
    tx: &mut TenantTx,
    id: AssetId,
) -> Result<ExpiryAnnouncements, SurfaceError> {
    let value: serde_json::Value = sqlx::query_scalar(
        "select expiry_announcements from assets where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    serde_json::from_value(value).map_err(|e| {
        SurfaceError::Unexpected(anyhow::Error::new(e).context("expiry announcements"))
    })
}

/// After a completed scan: when it ran and the announcements to keep.
#[tracing::instrument(skip(tx, announcements))]
pub(crate) async fn record_scan(
    tx: &mut TenantTx,
    id: AssetId,
    announcements: &ExpiryAnnouncements,
) -> Result<(), SurfaceError> {
    let value = serde_json::to_value(announcements)
        .map_err(|e| SurfaceError::Unexpected(anyhow::Error::new(e)))?;
    sqlx::query(
        "update assets set last_scan_at = now(), expiry_announcements = $3
          where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(value)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn set_next_scan(
    tx: &mut TenantTx,
    id: AssetId,
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    sqlx::query("update assets set next_scan_at = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(at)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Deletes the asset with its scans, snapshots and changes; `None` when it does not exist.
#[tracing::instrument(skip(tx))]
pub(crate) async fn delete(tx: &mut TenantTx, id: AssetId) -> Result<Option<Asset>, SurfaceError> {
    let row: Option<AssetRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "delete from assets where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Asset::try_from).transpose()
}
