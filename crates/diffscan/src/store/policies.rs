//! The `diffscan_policies` table (tenant-owned): policies in the engine's format, at most one of
//! them the tenant's default.

use super::name_conflict;
use crate::error::DiffscanError;
use crate::model::{PolicyId, PolicyRecord};
use platform::TenantTx;

const COLUMNS: &str = "id, name, description, document, is_default, created_at, updated_at";

/// What a policy row is written from (insert and update).
#[derive(Debug)]
pub(crate) struct PolicyValues<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub document: &'a serde_json::Value,
    pub is_default: bool,
}

fn conflict(error: sqlx::Error, name: &str) -> DiffscanError {
    name_conflict(error, "diffscan_policies_name_key", &format!("a policy named `{name}`"))
}

/// Makes no policy the default, so that another can become it.
async fn clear_default(tx: &mut TenantTx, except: PolicyId) -> sqlx::Result<()> {
    sqlx::query(
        "update diffscan_policies set is_default = false, updated_at = now()
          where tenant_id = $1 and is_default and id <> $2",
    )
    .bind(tx.tenant())
    .bind(except)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

#[tracing::instrument(skip(tx, values), fields(name = values.name))]
pub(crate) async fn insert(
    tx: &mut TenantTx,
    id: PolicyId,
    values: &PolicyValues<'_>,
) -> Result<PolicyRecord, DiffscanError> {
    if values.is_default {
        clear_default(tx, id).await?;
    }
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into diffscan_policies (tenant_id, id, name, description, document, is_default)
         values ($1, $2, $3, $4, $5, $6) returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(values.name)
    .bind(values.description)
    .bind(values.document)
    .bind(values.is_default)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| conflict(e, values.name))
}

#[tracing::instrument(skip(tx, values), fields(name = values.name))]
pub(crate) async fn update(
    tx: &mut TenantTx,
    id: PolicyId,
    values: &PolicyValues<'_>,
) -> Result<PolicyRecord, DiffscanError> {
    if values.is_default {
        clear_default(tx, id).await?;
    }
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update diffscan_policies set name = $3, description = $4, document = $5,
                is_default = $6, updated_at = now()
          where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(values.name)
    .bind(values.description)
    .bind(values.document)
    .bind(values.is_default)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| conflict(e, values.name))
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get(
    tx: &mut TenantTx,
    id: PolicyId,
    for_update: bool,
) -> sqlx::Result<Option<PolicyRecord>> {
    let lock = if for_update { "for update" } else { "" };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_policies where tenant_id = $1 and id = $2 {lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The tenant's default policy, if it chose one.
#[tracing::instrument(skip(tx))]
pub(crate) async fn default(tx: &mut TenantTx) -> sqlx::Result<Option<PolicyRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_policies where tenant_id = $1 and is_default"
    )))
    .bind(tx.tenant())
    .fetch_optional(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    before: Option<PolicyId>,
    limit: i64,
) -> sqlx::Result<Vec<PolicyRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_policies
          where tenant_id = $1 and ($2::uuid is null or id < $2)
          order by id desc limit $3"
    )))
    .bind(tx.tenant())
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn count(tx: &mut TenantTx) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from diffscan_policies where tenant_id = $1")
        .bind(tx.tenant())
        .fetch_one(&mut **tx)
        .await
}

/// Deletes the policy (its exceptions go with it; scans and repositories keep no reference).
#[tracing::instrument(skip(tx))]
pub(crate) async fn delete(tx: &mut TenantTx, id: PolicyId) -> sqlx::Result<Option<PolicyRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "delete from diffscan_policies where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}
