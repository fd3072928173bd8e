//! Reading alerts (a filtered page newest first in one round trip, one alert whole) and their
//! triage state: rows locked for a change, and the changed states written back, for one alert
//! or ten thousand in the same two statements.

use crate::model::filter::AssigneeFilter;
use crate::model::{AlertFilter, AlertId, AlertStatus, AlertSummary, DetectionRuleId, Disposition};
use chrono::{DateTime, TimeDelta, Utc};
use detect::Severity;
use platform::{TenantRead, TenantTx, UserId};
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

const SUMMARY: &str = "id, title, severity, status, disposition, source, rule_uid, rule_name, \
                       detection_rule_id, parent_alert_id, assignee_id, occurrences, \
                       first_seen_at, last_seen_at, event_time, created_at, updated_at, \
                       acknowledged_at, closed_at, ack_breached_at, close_breached_at";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SummaryRow {
    id: AlertId,
    title: String,
    severity: i16,
    status: String,
    disposition: Option<String>,
    source: String,
    rule_uid: Option<String>,
    rule_name: Option<String>,
    detection_rule_id: Option<DetectionRuleId>,
    parent_alert_id: Option<AlertId>,
    assignee_id: Option<UserId>,
    occurrences: i64,
    first_seen_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    event_time: DateTime<Utc>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    acknowledged_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
    ack_breached_at: Option<DateTime<Utc>>,
    close_breached_at: Option<DateTime<Utc>>,
}

impl From<SummaryRow> for AlertSummary {
    fn from(row: SummaryRow) -> AlertSummary {
        AlertSummary {
            id: row.id,
            title: row.title,
            severity: Severity::from_ocsf_id(i64::from(row.severity)).unwrap_or(Severity::Unknown),
            status: AlertStatus::parse(&row.status).unwrap_or(AlertStatus::New),
            disposition: row.disposition.as_deref().and_then(Disposition::parse),
            source: row.source,
            rule_uid: row.rule_uid,
            rule_name: row.rule_name,
            detection_rule_id: row.detection_rule_id,
            parent_alert_id: row.parent_alert_id,
            assignee_id: row.assignee_id,
            occurrences: row.occurrences,
            first_seen_at: row.first_seen_at,
            last_seen_at: row.last_seen_at,
            event_time: row.event_time,
            created_at: row.created_at,
            updated_at: row.updated_at,
            acknowledged_at: row.acknowledged_at,
            closed_at: row.closed_at,
            ack_breached_at: row.ack_breached_at,
            close_breached_at: row.close_breached_at,
        }
    }
}

/// Appends the conditions of `filter` to a query whose `where` already holds the tenant: for
/// the bulk jobs' walk and the count. The queue's page applies the same filter in SQL
/// (`alerts_page`); a filter added here must be added there too, and the queue tests of both
/// (`the_queue_filters_…`, the bulk-by-filter tests) go through each.
fn push_filter(query: &mut QueryBuilder<Postgres>, filter: &AlertFilter, tenant: Uuid) {
    if !filter.statuses.is_empty() {
        let statuses: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
        query.push(" and status = any(").push_bind(statuses).push(")");
    }
    if !filter.severities.is_empty() {
        let severities: Vec<i16> =
            filter.severities.iter().map(|s| i16::from(s.ocsf_id())).collect();
        query.push(" and severity = any(").push_bind(severities).push(")");
    }
    if !filter.sources.is_empty() {
        query.push(" and source = any(").push_bind(filter.sources.clone()).push(")");
    }
    match filter.assignee {
        Some(AssigneeFilter::Unassigned) => {
            query.push(" and assignee_id is null");
        }
        Some(AssigneeFilter::User(user)) => {
            query.push(" and assignee_id = ").push_bind(user);
        }
        None => {}
    }
    if let Some(rule) = &filter.rule_uid {
        query.push(" and rule_uid = ").push_bind(rule.clone());
    }
    if let Some(rule) = filter.detection_rule_id {
        query.push(" and detection_rule_id = ").push_bind(rule);
    }
    if let Some(from) = filter.from {
        query.push(" and id >= ").push_bind(AlertId::floor(from));
        query.push(" and created_at >= ").push_bind(from);
    }
    if let Some(to) = filter.to {
        query.push(" and id < ").push_bind(id_ceiling(to));
        query.push(" and created_at < ").push_bind(to);
    }
    if !filter.observable_values.is_empty() {
        query
            .push(" and id in (select alert_id from alert_observables where tenant_id = ")
            .push_bind(tenant)
            .push(" and value = any(")
            .push_bind(filter.observable_values.clone())
            .push(")");
        if let Some(kind) = filter.observable_kind {
            query.push(" and kind = ").push_bind(kind.as_str());
        }
        query.push(")");
    }
    if let Some(text) = &filter.query {
        query
            .push(" and search @@ websearch_to_tsquery('simple', ")
            .push_bind(text.clone())
            .push(")");
    }
}

/// The least id of an alert created at `to` or later: created-at is the id's millisecond, so
/// `created_at < to` is `id < floor(ceil_ms(to))`.
fn id_ceiling(to: DateTime<Utc>) -> Uuid {
    let millis = crate::model::ids::to_millis(to);
    let ceiling = if millis < to { millis + TimeDelta::milliseconds(1) } else { millis };
    AlertId::floor(ceiling)
}

/// Up to `limit` alerts matching `filter` with ids below `before`, newest first: one call of
/// `alerts_page` (`migrations/*_alerts_page.sql`), which scopes itself to the read's tenant, in
/// one round trip. An unset filter is passed as null.
#[tracing::instrument(level = "debug", skip(read, filter))]
pub(crate) async fn page(
    read: &mut TenantRead,
    filter: &AlertFilter,
    before: Option<AlertId>,
    limit: i64,
) -> sqlx::Result<Vec<AlertSummary>> {
    let listed = |values: Vec<String>| (!values.is_empty()).then_some(values);
    let statuses = listed(filter.statuses.iter().map(|s| s.as_str().to_string()).collect());
    let severities: Vec<i16> = filter.severities.iter().map(|s| i16::from(s.ocsf_id())).collect();
    let (unassigned, assignee) = match filter.assignee {
        Some(AssigneeFilter::Unassigned) => (true, None),
        Some(AssigneeFilter::User(user)) => (false, Some(user)),
        None => (false, None),
    };
    let rows: Vec<SummaryRow> = read
        .call(
            "select * from alerts_page($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
                                       $14, $15, $16, $17)",
        )
        .bind(before)
        .bind(statuses)
        .bind((!severities.is_empty()).then_some(severities))
        .bind(listed(filter.sources.clone()))
        .bind(unassigned)
        .bind(assignee)
        .bind(filter.rule_uid.as_deref())
        .bind(filter.detection_rule_id)
        .bind(filter.from.map(AlertId::floor))
        .bind(filter.from)
        .bind(filter.to.map(id_ceiling))
        .bind(filter.to)
        .bind(listed(filter.observable_values.clone()))
        .bind(
            filter
                .observable_kind
                .filter(|_| !filter.observable_values.is_empty())
                .map(|k| k.as_str()),
        )
        .bind(filter.query.as_deref())
        .bind(i32::try_from(limit.clamp(1, 1001)).unwrap_or(1001))
        .fetch_all(&mut **read)
        .await?;
    Ok(rows.into_iter().map(AlertSummary::from).collect())
}

/// The ids of up to `limit` alerts matching `filter` above `after`, oldest first (bulk jobs walk
/// forwards, so that alerts they change and that no longer match do not shift the walk).
#[tracing::instrument(level = "debug", skip(tx, filter))]
pub(crate) async fn matching_ids(
    tx: &mut TenantTx,
    filter: &AlertFilter,
    after: Option<AlertId>,
    limit: i64,
) -> sqlx::Result<Vec<AlertId>> {
    let tenant = tx.tenant().as_uuid();
    let mut query = QueryBuilder::<Postgres>::new("select id from alerts where tenant_id = ");
    query.push_bind(tenant);
    if let Some(after) = after {
        query.push(" and id > ").push_bind(after);
    }
    push_filter(&mut query, filter, tenant);
    query.push(" order by id limit ").push_bind(limit);
    query.build_query_scalar().fetch_all(&mut **tx).await
}

/// How many alerts match `filter`.
#[tracing::instrument(level = "debug", skip(tx, filter))]
pub(crate) async fn count(tx: &mut TenantTx, filter: &AlertFilter) -> sqlx::Result<i64> {
    let tenant = tx.tenant().as_uuid();
    let mut query = QueryBuilder::<Postgres>::new("select count(*) from alerts where tenant_id = ");
    query.push_bind(tenant);
    push_filter(&mut query, filter, tenant);
    query.build_query_scalar().fetch_one(&mut **tx).await
}

/// One alert whole: its summary, description, finding and raw payload.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct FullRow {
    #[sqlx(flatten)]
    pub summary: SummaryRow,
    pub description: Option<String>,
    pub finding: serde_json::Value,
    pub raw: serde_json::Value,
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get(tx: &mut TenantTx, id: AlertId) -> sqlx::Result<Option<FullRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {SUMMARY}, description, finding, raw from alerts where tenant_id = $1 and id = $2"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The triage state of an alert: what a change reads and writes.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub(crate) struct State {
    pub id: AlertId,
    pub title: String,
    pub severity: i16,
    #[sqlx(try_from = "String")]
    pub status: StatusText,
    pub disposition: Option<String>,
    pub assignee_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_by: Option<Uuid>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<Uuid>,
}

/// A status read from a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StatusText(pub AlertStatus);

impl TryFrom<String> for StatusText {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        AlertStatus::parse(&text).map(StatusText).ok_or(text)
    }
}

const STATE: &str = "id, title, severity, status, disposition, assignee_id, created_at, \
                     acknowledged_at, acknowledged_by, closed_at, closed_by";

/// Locks the listed alerts of the tenant (in id order) and reads their state.
#[tracing::instrument(skip(tx, ids), fields(n = ids.len()))]
pub(crate) async fn lock_states(tx: &mut TenantTx, ids: &[AlertId]) -> sqlx::Result<Vec<State>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {STATE} from alerts where tenant_id = $1 and id = any($2) order by id for update"
    )))
    .bind(tx.tenant())
    .bind(ids)
    .fetch_all(&mut **tx)
    .await
}

/// Writes changed states back (same rows, locked by `lock_states`).
#[tracing::instrument(skip(tx, states), fields(n = states.len()))]
pub(crate) async fn write_states(
    tx: &mut TenantTx,
    states: &[State],
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    if states.is_empty() {
        return Ok(());
    }
    let ids: Vec<AlertId> = states.iter().map(|s| s.id).collect();
    let statuses: Vec<&str> = states.iter().map(|s| s.status.0.as_str()).collect();
    let dispositions: Vec<Option<&str>> = states.iter().map(|s| s.disposition.as_deref()).collect();
    let assignees: Vec<Option<UserId>> = states.iter().map(|s| s.assignee_id).collect();
    let acknowledged_at: Vec<Option<DateTime<Utc>>> =
        states.iter().map(|s| s.acknowledged_at).collect();
    let acknowledged_by: Vec<Option<Uuid>> = states.iter().map(|s| s.acknowledged_by).collect();
    let closed_at: Vec<Option<DateTime<Utc>>> = states.iter().map(|s| s.closed_at).collect();
    let closed_by: Vec<Option<Uuid>> = states.iter().map(|s| s.closed_by).collect();
    sqlx::query(
        "update alerts a
            set status = u.status, disposition = u.disposition, assignee_id = u.assignee_id,
                acknowledged_at = u.acknowledged_at, acknowledged_by = u.acknowledged_by,
                closed_at = u.closed_at, closed_by = u.closed_by, updated_at = $2
           from unnest($3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::timestamptz[],
                       $8::uuid[], $9::timestamptz[], $10::uuid[])
                as u(id, status, disposition, assignee_id, acknowledged_at, acknowledged_by,
                     closed_at, closed_by)
          where a.tenant_id = $1 and a.id = u.id",
    )
    .bind(tx.tenant())
    .bind(at)
    .bind(&ids)
    .bind(&statuses)
    .bind(&dispositions)
    .bind(&assignees)
    .bind(&acknowledged_at)
    .bind(&acknowledged_by)
    .bind(&closed_at)
    .bind(&closed_by)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Open alerts of `severity` created before `created_before` whose target of `kind`
/// (`acknowledge` or `close`) has not been marked missed; marks them and returns them.
#[tracing::instrument(skip(tx))]
pub(crate) async fn mark_breaches(
    tx: &mut TenantTx,
    severity: Severity,
    acknowledge: bool,
    created_before: DateTime<Utc>,
    limit: i64,
    at: DateTime<Utc>,
) -> sqlx::Result<Vec<(AlertId, String, DateTime<Utc>)>> {
    let sql = match acknowledge {
        true => {
            "update alerts set ack_breached_at = $5
              where tenant_id = $1 and id in (
                    select id from alerts where tenant_id = $1 and severity = $2 and id < $3
                       and status <> 'closed' and close_breached_at is null
                       and status = 'new' and ack_breached_at is null
                     order by id limit $4)
             returning id, title, created_at"
        }
        false => {
            "update alerts set close_breached_at = $5
              where tenant_id = $1 and id in (
                    select id from alerts where tenant_id = $1 and severity = $2 and id < $3
                       and status <> 'closed' and close_breached_at is null
                     order by id limit $4)
             returning id, title, created_at"
        }
    };
    sqlx::query_as(sql)
        .bind(tx.tenant())
        .bind(i16::from(severity.ocsf_id()))
        .bind(AlertId::floor(created_before))
        .bind(limit)
        .bind(at)
        .fetch_all(&mut **tx)
        .await
}
