//! The `diffscan_baselines` and `diffscan_baseline_entries` tables (tenant-owned): named sets of
//! accepted fingerprints.

use super::name_conflict;
use crate::error::DiffscanError;
use crate::model::{BaselineEntry, BaselineId, BaselineRecord};
use platform::TenantTx;

const COLUMNS: &str = "b.id, b.name, b.description, b.created_at, b.updated_at, \
    (select count(*) from diffscan_baseline_entries e
      where e.tenant_id = b.tenant_id and e.baseline_id = b.id) as entries";

fn conflict(error: sqlx::Error, name: &str) -> DiffscanError {
    name_conflict(error, "diffscan_baselines_name_key", &format!("a baseline named `{name}`"))
}

#[tracing::instrument(skip(tx, description))]
pub(crate) async fn insert(
    tx: &mut TenantTx,
    id: BaselineId,
    name: &str,
    description: &str,
) -> Result<(), DiffscanError> {
    sqlx::query(
        "insert into diffscan_baselines (tenant_id, id, name, description) values ($1, $2, $3, $4)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(name)
    .bind(description)
    .execute(&mut **tx)
    .await
    .map(|_| ())
    .map_err(|e| conflict(e, name))
}

#[tracing::instrument(skip(tx, description))]
pub(crate) async fn update(
    tx: &mut TenantTx,
    id: BaselineId,
    name: &str,
    description: &str,
) -> Result<(), DiffscanError> {
    sqlx::query(
        "update diffscan_baselines set name = $3, description = $4, updated_at = now()
          where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(name)
    .bind(description)
    .execute(&mut **tx)
    .await
    .map(|_| ())
    .map_err(|e| conflict(e, name))
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get(
    tx: &mut TenantTx,
    id: BaselineId,
    for_update: bool,
) -> sqlx::Result<Option<BaselineRecord>> {
    let lock = if for_update { "for update of b" } else { "" };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_baselines b where b.tenant_id = $1 and b.id = $2 {lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    before: Option<BaselineId>,
    limit: i64,
) -> sqlx::Result<Vec<BaselineRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_baselines b
          where b.tenant_id = $1 and ($2::uuid is null or b.id < $2)
          order by b.id desc limit $3"
    )))
    .bind(tx.tenant())
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn count(tx: &mut TenantTx) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from diffscan_baselines where tenant_id = $1")
        .bind(tx.tenant())
        .fetch_one(&mut **tx)
        .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn delete(tx: &mut TenantTx, id: BaselineId) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "delete from diffscan_baselines where tenant_id = $1 and id = $2 returning name",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Adds entries (an entry already there keeps its first rule and path); returns how many were
/// new.
#[tracing::instrument(skip(tx, entries), fields(count = entries.len()))]
pub(crate) async fn add_entries(
    tx: &mut TenantTx,
    id: BaselineId,
    entries: &[BaselineEntry],
) -> sqlx::Result<u64> {
    if entries.is_empty() {
        return Ok(0);
    }
    let fingerprints: Vec<&str> = entries.iter().map(|e| e.fingerprint.as_str()).collect();
    let rules: Vec<&str> = entries.iter().map(|e| e.rule.as_str()).collect();
    let paths: Vec<Option<&str>> = entries.iter().map(|e| e.path.as_deref()).collect();
    sqlx::query(
        "insert into diffscan_baseline_entries (tenant_id, baseline_id, fingerprint, rule, path)
         select $1, $2, * from unnest($3::text[], $4::text[], $5::text[])
         on conflict (tenant_id, baseline_id, fingerprint) do nothing",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(&fingerprints)
    .bind(&rules)
    .bind(&paths)
    .execute(&mut **tx)
    .await
    .map(|done| done.rows_affected())
}

#[tracing::instrument(skip(tx, fingerprints), fields(count = fingerprints.len()))]
pub(crate) async fn remove_entries(
    tx: &mut TenantTx,
    id: BaselineId,
    fingerprints: &[String],
) -> sqlx::Result<u64> {
    sqlx::query(
        "delete from diffscan_baseline_entries
          where tenant_id = $1 and baseline_id = $2 and fingerprint = any($3)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(fingerprints)
    .execute(&mut **tx)
    .await
    .map(|done| done.rows_affected())
}

/// One page of a baseline's entries by fingerprint, after `after` (exclusive).
#[tracing::instrument(skip(tx))]
pub(crate) async fn entries(
    tx: &mut TenantTx,
    id: BaselineId,
    after: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<BaselineEntry>> {
    sqlx::query_as(
        "select fingerprint, rule, path from diffscan_baseline_entries
          where tenant_id = $1 and baseline_id = $2 and ($3::text is null or fingerprint > $3)
          order by fingerprint limit $4",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(after)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}
