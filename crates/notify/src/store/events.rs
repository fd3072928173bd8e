//! The `events` table (tenant-owned, insert-only): reading events for the relay and the list, and
//! inserting a channel's test event. Domain events are inserted by `platform::outbox::emit`.

use super::Cursor;
use crate::model::EventRow;
use chrono::{DateTime, Utc};
use platform::TenantId;
use platform::outbox::Severity;
use sqlx::PgConnection;
use uuid::Uuid;

const COLUMNS: &str = "id, type, severity, title, payload, created_at";

/// Filters of the list; `None` does not filter.
#[derive(Clone, Debug, Default)]
pub struct EventFilter {
    pub kind: Option<String>,
    pub min_severity: Option<Severity>,
    pub since: Option<DateTime<Utc>>,
}

#[tracing::instrument(skip(conn, title, payload))]
pub async fn insert(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: Uuid,
    kind: &str,
    severity: Severity,
    title: &str,
    payload: &serde_json::Value,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into events (tenant_id, id, type, severity, title, payload)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tenant)
    .bind(id)
    .bind(kind)
    .bind(severity.as_str())
    .bind(title)
    .bind(payload)
    .execute(conn)
    .await
    .map(|_| ())
}

#[tracing::instrument(skip(conn))]
pub async fn get(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: Uuid,
) -> sqlx::Result<Option<EventRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from events where tenant_id = $1 and id = $2"
    )))
    .bind(tenant)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// One page of the tenant's events matching `filter`, newest first (ids are UUIDv7), after the
/// event `before` (exclusive).
#[tracing::instrument(skip(conn))]
pub async fn list(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &EventFilter,
    before: Cursor,
    limit: i64,
) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from events
          where tenant_id = $1
            and ($2::text is null or type = $2)
            and ($3::text is null or severity_rank(severity) >= severity_rank($3))
            and ($4::timestamptz is null or created_at >= $4)
            and ($5::uuid is null or id < $5)
          order by id desc limit $6"
    )))
    .bind(tenant)
    .bind(filter.kind.as_deref())
    .bind(filter.min_severity.map(Severity::as_str))
    .bind(filter.since)
    .bind(before)
    .bind(limit)
    .fetch_all(conn)
    .await
}
