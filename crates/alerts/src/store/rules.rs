//! `detection_rules`: a tenant's Sigma rules (insert, read, list, update, delete) and the
//! enabled ones the engine compiles.

use crate::error::AlertsError;
use crate::model::{DetectionRule, DetectionRuleId};
use chrono::{DateTime, Utc};
use detect::Severity;
use platform::TenantTx;

const COLUMNS: &str =
    "id, title, sigma_id, yaml, enabled, level, tags, exceptions, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: DetectionRuleId,
    title: String,
    sigma_id: Option<String>,
    yaml: String,
    enabled: bool,
    level: i16,
    tags: Vec<String>,
    exceptions: serde_json::Value,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<Row> for DetectionRule {
    fn from(row: Row) -> DetectionRule {
        DetectionRule {
            id: row.id,
            title: row.title,
            sigma_id: row.sigma_id,
            yaml: row.yaml,
            enabled: row.enabled,
            level: Severity::from_ocsf_id(i64::from(row.level)).unwrap_or(Severity::Unknown),
            tags: row.tags,
            exceptions: row.exceptions.as_array().cloned().unwrap_or_default(),
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// What a rule row is written from.
#[derive(Debug)]
pub(crate) struct Values<'a> {
    pub title: &'a str,
    pub sigma_id: Option<&'a str>,
    pub yaml: &'a str,
    pub enabled: bool,
    pub level: Severity,
    pub tags: &'a [String],
    pub exceptions: &'a [serde_json::Value],
}

fn conflict(error: sqlx::Error, values: &Values<'_>) -> AlertsError {
    match error.as_database_error().and_then(|d| d.constraint()) {
        Some("detection_rules_sigma_id_key") => AlertsError::Conflict(format!(
            "a rule with id `{}` already exists in this tenant",
            values.sigma_id.unwrap_or_default()
        )),
        _ => AlertsError::Unexpected(error.into()),
    }
}

#[tracing::instrument(skip(tx, values), fields(title = values.title))]
pub(crate) async fn insert(
    tx: &mut TenantTx,
    id: DetectionRuleId,
    values: &Values<'_>,
    created_by: Option<uuid::Uuid>,
) -> Result<DetectionRule, AlertsError> {
    let row: Row = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into detection_rules (tenant_id, id, title, sigma_id, yaml, enabled, level, tags,
                                      exceptions, created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), now())
         returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(values.title)
    .bind(values.sigma_id)
    .bind(values.yaml)
    .bind(values.enabled)
    .bind(i16::from(values.level.ocsf_id()))
    .bind(values.tags)
    .bind(serde_json::Value::from(values.exceptions.to_vec()))
    .bind(created_by)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| conflict(e, values))?;
    Ok(row.into())
}

#[tracing::instrument(skip(tx, values))]
pub(crate) async fn update(
    tx: &mut TenantTx,
    id: DetectionRuleId,
    values: &Values<'_>,
) -> Result<Option<DetectionRule>, AlertsError> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update detection_rules
            set title = $3, sigma_id = $4, yaml = $5, enabled = $6, level = $7, tags = $8,
                exceptions = $9, updated_at = now()
          where tenant_id = $1 and id = $2
         returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(values.title)
    .bind(values.sigma_id)
    .bind(values.yaml)
    .bind(values.enabled)
    .bind(i16::from(values.level.ocsf_id()))
    .bind(values.tags)
    .bind(serde_json::Value::from(values.exceptions.to_vec()))
    .fetch_optional(&mut **tx)
    .await
    .map_err(|e| conflict(e, values))?;
    Ok(row.map(DetectionRule::from))
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get(
    tx: &mut TenantTx,
    id: DetectionRuleId,
    lock: bool,
) -> sqlx::Result<Option<DetectionRule>> {
    let lock = if lock { " for update" } else { "" };
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from detection_rules where tenant_id = $1 and id = $2{lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(DetectionRule::from))
}

/// A page of rules, newest first (ids are time-ordered).
#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    before: Option<DetectionRuleId>,
    enabled: Option<bool>,
    limit: i64,
) -> sqlx::Result<Vec<DetectionRule>> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from detection_rules
          where tenant_id = $1 and ($2::uuid is null or id < $2)
            and ($3::bool is null or enabled = $3)
          order by id desc limit $4"
    )))
    .bind(tx.tenant())
    .bind(before)
    .bind(enabled)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(DetectionRule::from).collect())
}

/// Every enabled rule, oldest first: what the engine compiles.
#[tracing::instrument(skip(tx))]
pub(crate) async fn enabled(tx: &mut TenantTx) -> sqlx::Result<Vec<DetectionRule>> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from detection_rules where tenant_id = $1 and enabled order by id"
    )))
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(DetectionRule::from).collect())
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn count(tx: &mut TenantTx) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from detection_rules where tenant_id = $1")
        .bind(tx.tenant())
        .fetch_one(&mut **tx)
        .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn delete(
    tx: &mut TenantTx,
    id: DetectionRuleId,
) -> sqlx::Result<Option<DetectionRule>> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "delete from detection_rules where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(DetectionRule::from))
}
