//! Correlation: the rules, each rule's engine state, the groups it formed and their members,
//! and the findings of the alerts the correlation job feeds in.

use crate::error::AlertsError;
use crate::model::correlation::{link_word, parse_link};
use crate::model::{
    AlertId, CorrelationGroup, CorrelationGroupId, CorrelationRule, CorrelationRuleId, GroupMember,
};
use chrono::{DateTime, TimeDelta, Utc};
use detect::Severity;
use detect::correlation::{CorrelationState, Group};
use platform::TenantTx;

const RULE_COLUMNS: &str =
    "id, name, enabled, link_by, window_secs, threshold, min_severity, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct RuleRow {
    id: CorrelationRuleId,
    name: String,
    enabled: bool,
    link_by: Vec<String>,
    window_secs: i32,
    threshold: i32,
    min_severity: i16,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<RuleRow> for CorrelationRule {
    fn from(row: RuleRow) -> CorrelationRule {
        CorrelationRule {
            id: row.id,
            name: row.name,
            enabled: row.enabled,
            link_by: row.link_by.iter().filter_map(|word| parse_link(word)).collect(),
            window: TimeDelta::seconds(i64::from(row.window_secs)),
            threshold: usize::try_from(row.threshold).unwrap_or(2),
            min_severity: Severity::from_ocsf_id(i64::from(row.min_severity))
                .unwrap_or(Severity::Unknown),
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// What a correlation rule row is written from.
#[derive(Debug)]
pub(crate) struct RuleValues<'a> {
    pub name: &'a str,
    pub enabled: bool,
    pub link_by: Vec<&'static str>,
    pub window_secs: i32,
    pub threshold: i32,
    pub min_severity: Severity,
}

fn name_conflict(error: sqlx::Error, name: &str) -> AlertsError {
    match error.as_database_error().and_then(|d| d.constraint()) {
        Some("correlation_rules_name_key") => {
            AlertsError::Conflict(format!("a correlation rule named `{name}` already exists"))
        }
        _ => AlertsError::Unexpected(error.into()),
    }
}

pub(crate) fn rule_values<'a>(rule: &'a CorrelationRule) -> RuleValues<'a> {
    RuleValues {
        name: &rule.name,
        enabled: rule.enabled,
        link_by: rule.link_by.iter().map(|k| link_word(*k)).collect(),
        window_secs: i32::try_from(rule.window.num_seconds()).unwrap_or(i32::MAX),
        threshold: i32::try_from(rule.threshold).unwrap_or(i32::MAX),
        min_severity: rule.min_severity,
    }
}

#[tracing::instrument(skip(tx, values))]
pub(crate) async fn insert_rule(
    tx: &mut TenantTx,
    id: CorrelationRuleId,
    values: &RuleValues<'_>,
) -> Result<CorrelationRule, AlertsError> {
    let row: RuleRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into correlation_rules (tenant_id, id, name, enabled, link_by, window_secs,
                                        threshold, min_severity, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, now(), now()) returning {RULE_COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(values.name)
    .bind(values.enabled)
    .bind(&values.link_by)
    .bind(values.window_secs)
    .bind(values.threshold)
    .bind(i16::from(values.min_severity.ocsf_id()))
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| name_conflict(e, values.name))?;
    Ok(row.into())
}

#[tracing::instrument(skip(tx, values))]
pub(crate) async fn update_rule(
    tx: &mut TenantTx,
    id: CorrelationRuleId,
    values: &RuleValues<'_>,
) -> Result<Option<CorrelationRule>, AlertsError> {
    let row: Option<RuleRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update correlation_rules
            set name = $3, enabled = $4, link_by = $5, window_secs = $6, threshold = $7,
                min_severity = $8, updated_at = now()
          where tenant_id = $1 and id = $2 returning {RULE_COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(values.name)
    .bind(values.enabled)
    .bind(&values.link_by)
    .bind(values.window_secs)
    .bind(values.threshold)
    .bind(i16::from(values.min_severity.ocsf_id()))
    .fetch_optional(&mut **tx)
    .await
    .map_err(|e| name_conflict(e, values.name))?;
    Ok(row.map(CorrelationRule::from))
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get_rule(
    tx: &mut TenantTx,
    id: CorrelationRuleId,
    lock: bool,
) -> sqlx::Result<Option<CorrelationRule>> {
    let lock = if lock { " for update" } else { "" };
    let row: Option<RuleRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {RULE_COLUMNS} from correlation_rules where tenant_id = $1 and id = $2{lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(CorrelationRule::from))
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn list_rules(
    tx: &mut TenantTx,
    before: Option<CorrelationRuleId>,
    limit: i64,
) -> sqlx::Result<Vec<CorrelationRule>> {
    let rows: Vec<RuleRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {RULE_COLUMNS} from correlation_rules
          where tenant_id = $1 and ($2::uuid is null or id < $2) order by id desc limit $3"
    )))
    .bind(tx.tenant())
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(CorrelationRule::from).collect())
}

/// The enabled rules, locked in id order: the correlation job is the one writer of their state.
#[tracing::instrument(skip(tx))]
pub(crate) async fn lock_enabled_rules(tx: &mut TenantTx) -> sqlx::Result<Vec<CorrelationRule>> {
    let rows: Vec<RuleRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {RULE_COLUMNS} from correlation_rules where tenant_id = $1 and enabled
          order by id for update"
    )))
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(CorrelationRule::from).collect())
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn any_enabled(tx: &mut TenantTx) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select exists (select 1 from correlation_rules where tenant_id = $1 and enabled)",
    )
    .bind(tx.tenant())
    .fetch_one(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn count_rules(tx: &mut TenantTx) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from correlation_rules where tenant_id = $1")
        .bind(tx.tenant())
        .fetch_one(&mut **tx)
        .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn delete_rule(
    tx: &mut TenantTx,
    id: CorrelationRuleId,
) -> sqlx::Result<Option<CorrelationRule>> {
    let row: Option<RuleRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "delete from correlation_rules where tenant_id = $1 and id = $2 returning {RULE_COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(CorrelationRule::from))
}

/// A rule's engine state (empty for a rule that never grouped anything).
#[tracing::instrument(skip(tx))]
pub(crate) async fn state(
    tx: &mut TenantTx,
    rule: CorrelationRuleId,
) -> Result<CorrelationState, AlertsError> {
    let state: Option<serde_json::Value> = sqlx::query_scalar(
        "select state from correlation_states where tenant_id = $1 and rule_id = $2",
    )
    .bind(tx.tenant())
    .bind(rule)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(state.map(serde_json::from_value).transpose()?.unwrap_or_default())
}

#[tracing::instrument(skip(tx, state))]
pub(crate) async fn save_state(
    tx: &mut TenantTx,
    rule: CorrelationRuleId,
    state: &CorrelationState,
) -> Result<(), AlertsError> {
    sqlx::query(
        "insert into correlation_states (tenant_id, rule_id, state, updated_at)
         values ($1, $2, $3, now())
         on conflict (tenant_id, rule_id) do update set state = excluded.state, updated_at = now()",
    )
    .bind(tx.tenant())
    .bind(rule)
    .bind(serde_json::to_value(state)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes an engine group as a row (and its members), returning the row's id.
#[tracing::instrument(skip(tx, group))]
pub(crate) async fn save_group(
    tx: &mut TenantTx,
    rule: CorrelationRuleId,
    group: &Group,
    candidate: bool,
) -> Result<CorrelationGroupId, AlertsError> {
    let keys: Vec<serde_json::Value> = group
        .keys
        .iter()
        .map(|k| serde_json::json!({"kind": link_word(k.kind), "value": k.value}))
        .collect();
    let engine_id = i64::try_from(group.id).unwrap_or(i64::MAX);
    let id: CorrelationGroupId = sqlx::query_scalar(
        "insert into correlation_groups (tenant_id, id, rule_id, engine_id, first_seen_at,
                                         last_seen_at, member_count, keys, candidate_at,
                                         created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, case when $9 then now() end, now(), now())
         on conflict (tenant_id, rule_id, engine_id) do update
            set first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at,
                member_count = excluded.member_count, keys = excluded.keys,
                candidate_at = coalesce(correlation_groups.candidate_at, excluded.candidate_at),
                updated_at = now()
         returning id",
    )
    .bind(tx.tenant())
    .bind(CorrelationGroupId::generate())
    .bind(rule)
    .bind(engine_id)
    .bind(group.first_seen)
    .bind(group.last_seen)
    .bind(i32::try_from(group.members.len()).unwrap_or(i32::MAX))
    .bind(serde_json::Value::from(keys))
    .bind(candidate)
    .fetch_one(&mut **tx)
    .await?;
    let members: Vec<uuid::Uuid> =
        group.members.iter().filter_map(|m| AlertId::parse(m).ok()).map(|m| m.as_uuid()).collect();
    sqlx::query(
        "insert into correlation_members (tenant_id, group_id, alert_id, added_at)
         select $1, $2, m, now() from unnest($3::uuid[]) as m order by m
         on conflict do nothing",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(&members)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Removes the rows of engine groups merged into another (their members moved with the merge).
#[tracing::instrument(skip(tx))]
pub(crate) async fn drop_merged(
    tx: &mut TenantTx,
    rule: CorrelationRuleId,
    engine_ids: &[u64],
) -> sqlx::Result<()> {
    let ids: Vec<i64> = engine_ids.iter().filter_map(|id| i64::try_from(*id).ok()).collect();
    sqlx::query(
        "delete from correlation_groups
          where tenant_id = $1 and rule_id = $2 and engine_id = any($3)",
    )
    .bind(tx.tenant())
    .bind(rule)
    .bind(&ids)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow)]
struct GroupRow {
    id: CorrelationGroupId,
    rule_id: CorrelationRuleId,
    first_seen_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    member_count: i32,
    keys: serde_json::Value,
    candidate_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<GroupRow> for CorrelationGroup {
    fn from(row: GroupRow) -> CorrelationGroup {
        let keys = row
            .keys
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|k| {
                Some((k.get("kind")?.as_str()?.to_string(), k.get("value")?.as_str()?.to_string()))
            })
            .collect();
        CorrelationGroup {
            id: row.id,
            rule_id: row.rule_id,
            first_seen_at: row.first_seen_at,
            last_seen_at: row.last_seen_at,
            member_count: row.member_count,
            keys,
            candidate_at: row.candidate_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
            members: Vec::new(),
        }
    }
}

const GROUP_COLUMNS: &str = "id, rule_id, first_seen_at, last_seen_at, member_count, keys, \
                             candidate_at, created_at, updated_at";

/// A page of groups, most recently grown first.
#[tracing::instrument(skip(tx))]
pub(crate) async fn list_groups(
    tx: &mut TenantTx,
    after: Option<(DateTime<Utc>, CorrelationGroupId)>,
    rule: Option<CorrelationRuleId>,
    candidates_only: bool,
    limit: i64,
) -> sqlx::Result<Vec<CorrelationGroup>> {
    let rows: Vec<GroupRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {GROUP_COLUMNS} from correlation_groups
          where tenant_id = $1 and ($2::timestamptz is null or (updated_at, id) < ($2, $3))
            and ($4::uuid is null or rule_id = $4) and (not $5 or candidate_at is not null)
          order by updated_at desc, id desc limit $6"
    )))
    .bind(tx.tenant())
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(rule)
    .bind(candidates_only)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(CorrelationGroup::from).collect())
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get_group(
    tx: &mut TenantTx,
    id: CorrelationGroupId,
) -> sqlx::Result<Option<CorrelationGroup>> {
    let row: Option<GroupRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {GROUP_COLUMNS} from correlation_groups where tenant_id = $1 and id = $2"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(mut group) = row.map(CorrelationGroup::from) else { return Ok(None) };
    let members: Vec<(AlertId, DateTime<Utc>)> = sqlx::query_as(
        "select alert_id, added_at from correlation_members
          where tenant_id = $1 and group_id = $2 order by alert_id limit 10000",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    group.members = members
        .into_iter()
        .map(|(alert_id, added_at)| GroupMember { alert_id, added_at })
        .collect();
    Ok(Some(group))
}

/// The groups an alert is a member of.
#[tracing::instrument(skip(tx))]
pub(crate) async fn groups_of(
    tx: &mut TenantTx,
    alert: AlertId,
) -> sqlx::Result<Vec<CorrelationGroupId>> {
    sqlx::query_scalar(
        "select group_id from correlation_members where tenant_id = $1 and alert_id = $2
          order by group_id",
    )
    .bind(tx.tenant())
    .bind(alert)
    .fetch_all(&mut **tx)
    .await
}

/// The stored findings (and severities) of these alerts, oldest first.
#[tracing::instrument(skip(tx, ids), fields(n = ids.len()))]
pub(crate) async fn findings(
    tx: &mut TenantTx,
    ids: &[AlertId],
) -> sqlx::Result<Vec<(AlertId, i16, serde_json::Value)>> {
    sqlx::query_as(
        "select id, severity, finding from alerts where tenant_id = $1 and id = any($2)
          order by id",
    )
    .bind(tx.tenant())
    .bind(ids)
    .fetch_all(&mut **tx)
    .await
}
