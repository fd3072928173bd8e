//! The `diffscan_idempotency_keys` table (tenant-owned): which scan an `Idempotency-Key` of one
//! principal created, and the digest of the request it came with.

use crate::model::ScanId;
use chrono::{DateTime, Utc};
use platform::TenantTx;
use uuid::Uuid;

/// A key already used: the digest of its request and its scan.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct UsedKey {
    pub request_sha256: Vec<u8>,
    pub scan_id: ScanId,
}

/// The live use of `key` by `principal`, if any. Locks the row, so that a concurrent request
/// with the same key waits for this transaction.
#[tracing::instrument(skip(tx, key))]
pub(crate) async fn find(
    tx: &mut TenantTx,
    principal: Uuid,
    key: &str,
) -> sqlx::Result<Option<UsedKey>> {
    sqlx::query_as(
        "select request_sha256, scan_id from diffscan_idempotency_keys
          where tenant_id = $1 and principal_id = $2 and key = $3 and expires_at > now()
          for update",
    )
    .bind(tx.tenant())
    .bind(principal)
    .bind(key)
    .fetch_optional(&mut **tx)
    .await
}

/// Claims `key` for `scan` (replacing an expired use); `false` when a live use exists, which a
/// concurrent request committed first.
#[tracing::instrument(skip(tx, key, request_sha256))]
pub(crate) async fn claim(
    tx: &mut TenantTx,
    principal: Uuid,
    key: &str,
    request_sha256: &[u8],
    scan: ScanId,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let claimed: Option<ScanId> = sqlx::query_scalar(
        "insert into diffscan_idempotency_keys (tenant_id, principal_id, key, request_sha256,
                                                scan_id, expires_at)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (tenant_id, principal_id, key) do update
            set request_sha256 = excluded.request_sha256, scan_id = excluded.scan_id,
                created_at = now(), expires_at = excluded.expires_at
          where diffscan_idempotency_keys.expires_at <= now()
         returning scan_id",
    )
    .bind(tx.tenant())
    .bind(principal)
    .bind(key)
    .bind(request_sha256)
    .bind(scan)
    .bind(expires_at)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(claimed == Some(scan))
}

/// Removes the tenant's expired keys.
#[tracing::instrument(skip(tx))]
pub(crate) async fn delete_expired(tx: &mut TenantTx) -> sqlx::Result<u64> {
    sqlx::query(
        "delete from diffscan_idempotency_keys where tenant_id = $1 and expires_at <= now()",
    )
    .bind(tx.tenant())
    .execute(&mut **tx)
    .await
    .map(|done| done.rows_affected())
}
