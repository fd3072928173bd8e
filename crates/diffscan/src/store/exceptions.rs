//! The `diffscan_exceptions` table (tenant-owned): accepted rules under path globs until a day.

use crate::model::{ExceptionId, ExceptionRecord, PolicyId};
use chrono::NaiveDate;
use platform::{TenantTx, UserId};

const COLUMNS: &str =
    "id, policy_id, rule, path_glob, expires_on, reason, created_by, created_at, updated_at";

/// What an exception row is written from (insert and update).
#[derive(Debug)]
pub(crate) struct ExceptionValues<'a> {
    pub policy_id: Option<PolicyId>,
    pub rule: &'a str,
    pub path_glob: &'a str,
    pub expires_on: NaiveDate,
    pub reason: &'a str,
}

#[tracing::instrument(skip(tx, values))]
pub(crate) async fn insert(
    tx: &mut TenantTx,
    id: ExceptionId,
    values: &ExceptionValues<'_>,
    created_by: Option<UserId>,
) -> sqlx::Result<ExceptionRecord> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into diffscan_exceptions (tenant_id, id, policy_id, rule, path_glob, expires_on,
                                          reason, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(values.policy_id)
    .bind(values.rule)
    .bind(values.path_glob)
    .bind(values.expires_on)
    .bind(values.reason)
    .bind(created_by)
    .fetch_one(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx, values))]
pub(crate) async fn update(
    tx: &mut TenantTx,
    id: ExceptionId,
    values: &ExceptionValues<'_>,
) -> sqlx::Result<ExceptionRecord> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update diffscan_exceptions set policy_id = $3, rule = $4, path_glob = $5,
                expires_on = $6, reason = $7, updated_at = now()
          where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(values.policy_id)
    .bind(values.rule)
    .bind(values.path_glob)
    .bind(values.expires_on)
    .bind(values.reason)
    .fetch_one(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get(
    tx: &mut TenantTx,
    id: ExceptionId,
    for_update: bool,
) -> sqlx::Result<Option<ExceptionRecord>> {
    let lock = if for_update { "for update" } else { "" };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_exceptions where tenant_id = $1 and id = $2 {lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// One page of the tenant's exceptions (of one policy when `policy` is set), newest first.
#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    policy: Option<PolicyId>,
    expired_on: Option<(bool, NaiveDate)>,
    before: Option<ExceptionId>,
    limit: i64,
) -> sqlx::Result<Vec<ExceptionRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_exceptions
          where tenant_id = $1 and ($2::uuid is null or policy_id = $2)
            and ($3::bool is null or (expires_on < $4) = $3)
            and ($5::uuid is null or id < $5)
          order by id desc limit $6"
    )))
    .bind(tx.tenant())
    .bind(policy)
    .bind(expired_on.map(|(expired, _)| expired))
    .bind(expired_on.map(|(_, today)| today))
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// The exceptions a scan under `policy` applies: the policy's and the tenant-wide ones.
#[tracing::instrument(skip(tx))]
pub(crate) async fn applying(
    tx: &mut TenantTx,
    policy: Option<PolicyId>,
) -> sqlx::Result<Vec<ExceptionRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_exceptions
          where tenant_id = $1 and (policy_id is null or policy_id = $2)
          order by id limit 10000"
    )))
    .bind(tx.tenant())
    .bind(policy)
    .fetch_all(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn count(tx: &mut TenantTx) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from diffscan_exceptions where tenant_id = $1")
        .bind(tx.tenant())
        .fetch_one(&mut **tx)
        .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn delete(
    tx: &mut TenantTx,
    id: ExceptionId,
) -> sqlx::Result<Option<ExceptionRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "delete from diffscan_exceptions where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}
