//! The `diffscan_github_deliveries` table (tenant-owned): verified webhook deliveries, raw,
//! de-duplicated by `X-GitHub-Delivery` through a unique index.

use crate::model::{DeliveryRecord, DeliveryStatus, InstallationId, ScanId, WebhookDeliveryId};
use chrono::{DateTime, Utc};
use platform::TenantTx;

const COLUMNS: &str = "id, installation_id, delivery_guid, event, action, headers, \
    octet_length(body) as body_bytes, status, detail, scan_id, received_at, processed_at";

/// A verified delivery to record.
#[derive(Debug)]
pub(crate) struct NewDelivery<'a> {
    pub installation_id: InstallationId,
    pub guid: &'a str,
    pub event: &'a str,
    pub action: Option<&'a str>,
    pub headers: &'a serde_json::Value,
    pub body: &'a [u8],
    pub status: DeliveryStatus,
    pub detail: Option<&'a str>,
}

/// Records a delivery; `None` when this installation already has one with the same GUID.
#[tracing::instrument(skip(tx, delivery), fields(guid = delivery.guid))]
pub(crate) async fn insert(
    tx: &mut TenantTx,
    id: WebhookDeliveryId,
    delivery: &NewDelivery<'_>,
) -> sqlx::Result<Option<WebhookDeliveryId>> {
    sqlx::query_scalar(
        "insert into diffscan_github_deliveries (tenant_id, id, installation_id, delivery_guid,
                event, action, headers, body, status, detail, processed_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                 case when $9 = 'queued' then null else now() end)
         on conflict (tenant_id, installation_id, delivery_guid) do nothing
         returning id",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(delivery.installation_id)
    .bind(delivery.guid)
    .bind(delivery.event)
    .bind(delivery.action)
    .bind(delivery.headers)
    .bind(delivery.body)
    .bind(delivery.status.as_str())
    .bind(delivery.detail)
    .fetch_optional(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get(
    tx: &mut TenantTx,
    id: WebhookDeliveryId,
    for_update: bool,
) -> sqlx::Result<Option<DeliveryRecord>> {
    let lock = if for_update { "for update" } else { "" };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_github_deliveries where tenant_id = $1 and id = $2 {lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The raw body of a delivery (none once retention purged it).
#[tracing::instrument(skip(tx))]
pub(crate) async fn body(
    tx: &mut TenantTx,
    id: WebhookDeliveryId,
) -> sqlx::Result<Option<Vec<u8>>> {
    sqlx::query_scalar(
        "select body from diffscan_github_deliveries where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
    .map(Option::flatten)
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    installation: Option<InstallationId>,
    status: Option<DeliveryStatus>,
    before: Option<WebhookDeliveryId>,
    limit: i64,
) -> sqlx::Result<Vec<DeliveryRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_github_deliveries
          where tenant_id = $1 and ($2::uuid is null or installation_id = $2)
            and ($3::text is null or status = $3) and ($4::uuid is null or id < $4)
          order by id desc limit $5"
    )))
    .bind(tx.tenant())
    .bind(installation)
    .bind(status.map(DeliveryStatus::as_str))
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// Records what the delivery's job did with it.
#[tracing::instrument(skip(tx, detail))]
pub(crate) async fn finish(
    tx: &mut TenantTx,
    id: WebhookDeliveryId,
    status: DeliveryStatus,
    detail: Option<&str>,
    scan: Option<ScanId>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update diffscan_github_deliveries set status = $3, detail = $4,
                scan_id = coalesce($5, scan_id), processed_at = now()
          where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(status.as_str())
    .bind(detail)
    .bind(scan)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Queues a delivery again (a replay).
#[tracing::instrument(skip(tx))]
pub(crate) async fn requeue(tx: &mut TenantTx, id: WebhookDeliveryId) -> sqlx::Result<()> {
    sqlx::query(
        "update diffscan_github_deliveries set status = 'queued', detail = null, scan_id = null,
                processed_at = null
          where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Drops the raw bodies of deliveries received before `before`; returns how many.
#[tracing::instrument(skip(tx))]
pub(crate) async fn purge_bodies(tx: &mut TenantTx, before: DateTime<Utc>) -> sqlx::Result<u64> {
    sqlx::query(
        "update diffscan_github_deliveries set body = null
          where tenant_id = $1 and received_at < $2 and body is not null",
    )
    .bind(tx.tenant())
    .bind(before)
    .execute(&mut **tx)
    .await
    .map(|done| done.rows_affected())
}
