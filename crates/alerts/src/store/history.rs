//! `alert_history`: one row per state change (append-only), written in the change's
//! transaction, read back oldest first with the alert.

use crate::model::{AlertId, AlertStatus, Disposition, HistoryEntry};
use chrono::{DateTime, Utc};
use platform::{TenantTx, UserId};
use uuid::Uuid;

/// One change about to be recorded.
#[derive(Clone, Debug)]
pub(crate) struct NewEntry<'a> {
    pub alert_id: AlertId,
    pub from_status: AlertStatus,
    pub to_status: AlertStatus,
    pub from_assignee: Option<UserId>,
    pub to_assignee: Option<UserId>,
    pub disposition: Option<Disposition>,
    pub comment: Option<&'a str>,
}

/// Who made a set of changes, and when.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Made<'a> {
    pub actor_type: &'a str,
    pub actor_id: Option<Uuid>,
    pub action: &'a str,
    pub at: DateTime<Utc>,
    pub bulk_id: Option<Uuid>,
}

#[tracing::instrument(skip(tx, entries), fields(n = entries.len(), action = made.action))]
pub(crate) async fn record(
    tx: &mut TenantTx,
    made: Made<'_>,
    entries: &[NewEntry<'_>],
) -> sqlx::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = entries.iter().map(|_| Uuid::now_v7()).collect();
    let alerts: Vec<AlertId> = entries.iter().map(|e| e.alert_id).collect();
    let from: Vec<&str> = entries.iter().map(|e| e.from_status.as_str()).collect();
    let to: Vec<&str> = entries.iter().map(|e| e.to_status.as_str()).collect();
    let from_assignee: Vec<Option<UserId>> = entries.iter().map(|e| e.from_assignee).collect();
    let to_assignee: Vec<Option<UserId>> = entries.iter().map(|e| e.to_assignee).collect();
    let dispositions: Vec<Option<&str>> =
        entries.iter().map(|e| e.disposition.map(Disposition::as_str)).collect();
    let comments: Vec<Option<&str>> = entries.iter().map(|e| e.comment).collect();
    sqlx::query(
        "insert into alert_history (tenant_id, alert_id, id, at, actor_type, actor_id, action,
                                    from_status, to_status, from_assignee, to_assignee,
                                    disposition, comment, bulk_id)
         select $1, u.alert_id, u.id, $2, $3, $4, $5, u.from_status, u.to_status,
                u.from_assignee, u.to_assignee, u.disposition, u.comment, $6
           from unnest($7::uuid[], $8::uuid[], $9::text[], $10::text[], $11::uuid[], $12::uuid[],
                       $13::text[], $14::text[])
                as u(alert_id, id, from_status, to_status, from_assignee, to_assignee,
                     disposition, comment)",
    )
    .bind(tx.tenant())
    .bind(made.at)
    .bind(made.actor_type)
    .bind(made.actor_id)
    .bind(made.action)
    .bind(made.bulk_id)
    .bind(&alerts)
    .bind(&ids)
    .bind(&from)
    .bind(&to)
    .bind(&from_assignee)
    .bind(&to_assignee)
    .bind(&dispositions)
    .bind(&comments)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow)]
struct Row {
    at: DateTime<Utc>,
    actor_type: String,
    actor_id: Option<Uuid>,
    action: String,
    from_status: String,
    to_status: String,
    from_assignee: Option<UserId>,
    to_assignee: Option<UserId>,
    disposition: Option<String>,
    comment: Option<String>,
    bulk_id: Option<Uuid>,
}

/// The alert's history, oldest first (at most the 1,000 first changes).
#[tracing::instrument(skip(tx))]
pub(crate) async fn of_alert(tx: &mut TenantTx, alert: AlertId) -> sqlx::Result<Vec<HistoryEntry>> {
    let rows: Vec<Row> = sqlx::query_as(
        "select at, actor_type, actor_id, action, from_status, to_status, from_assignee,
                to_assignee, disposition, comment, bulk_id
           from alert_history where tenant_id = $1 and alert_id = $2
          order by at, id limit 1000",
    )
    .bind(tx.tenant())
    .bind(alert)
    .fetch_all(&mut **tx)
    .await?;
    let status = |text: &str| AlertStatus::parse(text).unwrap_or(AlertStatus::New);
    Ok(rows
        .into_iter()
        .map(|row| HistoryEntry {
            at: row.at,
            actor_type: row.actor_type,
            actor_id: row.actor_id,
            action: row.action,
            from_status: status(&row.from_status),
            to_status: status(&row.to_status),
            from_assignee: row.from_assignee,
            to_assignee: row.to_assignee,
            disposition: row.disposition.as_deref().and_then(Disposition::parse),
            comment: row.comment,
            bulk_id: row.bulk_id,
        })
        .collect())
}
