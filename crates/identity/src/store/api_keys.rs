//! The `api_keys` table (tenant-owned), for managing keys: insert, list and revoke. It owns the
//! columns a listing may show; it must never return or log the key itself, and it does not read
//! `key_digest` back (authentication's look-up by prefix lives in `store::auth`).

use crate::model::ApiKeyRow;
use chrono::{DateTime, Utc};
use platform::{ApiKeyId, TenantTx, UserId};

const COLUMNS: &str =
    "id, name, prefix, scopes, created_by, created_at, expires_at, last_used_at, revoked_at";

/// What a new key row holds; `digest` is HMAC-SHA256(pepper, key), never the key.
#[derive(Debug)]
pub(crate) struct NewApiKeyRow<'a> {
    pub id: ApiKeyId,
    pub name: &'a str,
    pub prefix: &'a str,
    pub digest: &'a [u8],
    pub scopes: &'a [&'a str],
    pub created_by: Option<UserId>,
    pub expires_at: Option<DateTime<Utc>>,
}

#[tracing::instrument(skip(tx, key), fields(id = %key.id, prefix = key.prefix))]
pub(crate) async fn insert(tx: &mut TenantTx, key: &NewApiKeyRow<'_>) -> sqlx::Result<ApiKeyRow> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into api_keys (tenant_id, id, name, prefix, key_digest, scopes, created_by, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(key.id)
    .bind(key.name)
    .bind(key.prefix)
    .bind(key.digest)
    .bind(key.scopes)
    .bind(key.created_by)
    .bind(key.expires_at)
    .fetch_one(&mut **tx)
    .await
}

/// One page of the tenant's keys, newest first, starting after the key `before` (exclusive).
#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    before: Option<ApiKeyId>,
    limit: i64,
) -> sqlx::Result<Vec<ApiKeyRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from api_keys
          where tenant_id = $1 and ($2::uuid is null or id < $2)
          order by id desc limit $3"
    )))
    .bind(tx.tenant())
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// The key `id` of the tenant, whether revoked or not.
#[tracing::instrument(skip(tx))]
pub(crate) async fn get(tx: &mut TenantTx, id: ApiKeyId) -> sqlx::Result<Option<ApiKeyRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from api_keys where tenant_id = $1 and id = $2"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Revokes the key `id` if it is still live; `None` when it is unknown or already revoked.
#[tracing::instrument(skip(tx))]
pub(crate) async fn revoke(tx: &mut TenantTx, id: ApiKeyId) -> sqlx::Result<Option<ApiKeyRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update api_keys set revoked_at = now()
          where tenant_id = $1 and id = $2 and revoked_at is null
         returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}
