//! The `diffscan_rule_packs` table (tenant-owned): a tenant's validated rule packs.

use super::name_conflict;
use crate::error::DiffscanError;
use crate::model::{RulePackId, RulePackRecord};
use platform::TenantTx;

const COLUMNS: &str =
    "id, name, version, description, digest, rule_ids, enabled, created_at, updated_at";

/// A validated pack as stored.
#[derive(Debug)]
pub(crate) struct PackValues<'a> {
    pub name: &'a str,
    pub version: i32,
    pub description: &'a str,
    pub source: &'a str,
    pub digest: &'a str,
    pub rule_ids: &'a [String],
    pub enabled: bool,
}

fn conflict(error: sqlx::Error, name: &str) -> DiffscanError {
    name_conflict(error, "diffscan_rule_packs_name_key", &format!("a rule pack named `{name}`"))
}

#[tracing::instrument(skip(tx, values), fields(name = values.name))]
pub(crate) async fn insert(
    tx: &mut TenantTx,
    id: RulePackId,
    values: &PackValues<'_>,
) -> Result<RulePackRecord, DiffscanError> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into diffscan_rule_packs (tenant_id, id, name, version, description, source,
                                          digest, rule_ids, enabled)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning {COLUMNS}, source"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(values.name)
    .bind(values.version)
    .bind(values.description)
    .bind(values.source)
    .bind(values.digest)
    .bind(values.rule_ids)
    .bind(values.enabled)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| conflict(e, values.name))
}

#[tracing::instrument(skip(tx, values), fields(name = values.name))]
pub(crate) async fn update(
    tx: &mut TenantTx,
    id: RulePackId,
    values: &PackValues<'_>,
) -> Result<RulePackRecord, DiffscanError> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update diffscan_rule_packs set name = $3, version = $4, description = $5, source = $6,
                digest = $7, rule_ids = $8, enabled = $9, updated_at = now()
          where tenant_id = $1 and id = $2 returning {COLUMNS}, source"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(values.name)
    .bind(values.version)
    .bind(values.description)
    .bind(values.source)
    .bind(values.digest)
    .bind(values.rule_ids)
    .bind(values.enabled)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| conflict(e, values.name))
}

/// One pack with its source.
#[tracing::instrument(skip(tx))]
pub(crate) async fn get(
    tx: &mut TenantTx,
    id: RulePackId,
    for_update: bool,
) -> sqlx::Result<Option<RulePackRecord>> {
    let lock = if for_update { "for update" } else { "" };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS}, source from diffscan_rule_packs
          where tenant_id = $1 and id = $2 {lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// One page of packs, without their sources.
#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    before: Option<RulePackId>,
    limit: i64,
) -> sqlx::Result<Vec<RulePackRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS}, null::text as source from diffscan_rule_packs
          where tenant_id = $1 and ($2::uuid is null or id < $2)
          order by id desc limit $3"
    )))
    .bind(tx.tenant())
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// Every enabled pack with its source, in creation order (what a scan runs besides the
/// built-in pack).
#[tracing::instrument(skip(tx))]
pub(crate) async fn enabled(tx: &mut TenantTx) -> sqlx::Result<Vec<RulePackRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS}, source from diffscan_rule_packs
          where tenant_id = $1 and enabled order by id"
    )))
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn count(tx: &mut TenantTx) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from diffscan_rule_packs where tenant_id = $1")
        .bind(tx.tenant())
        .fetch_one(&mut **tx)
        .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn delete(
    tx: &mut TenantTx,
    id: RulePackId,
) -> sqlx::Result<Option<RulePackRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "delete from diffscan_rule_packs where tenant_id = $1 and id = $2
         returning {COLUMNS}, null::text as source"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}
