//! The `events` table (tenant-owned, insert-only): the list. (The relay reads a delivery's
//! event with the delivery, in `deliveries::start_attempts`.)
//! Events are inserted by `platform::outbox` alone.

use crate::model::{EventFilter, EventRow};
use platform::outbox::Severity;
use platform::{EventId, TenantTx};

const COLUMNS: &str = "id, type, severity, title, payload, created_at";

/// One page of the tenant's events matching `filter`, newest first (ids are UUIDv7), after the
/// event `before` (exclusive).
#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    filter: &EventFilter,
    before: Option<EventId>,
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
    .bind(tx.tenant())
    .bind(filter.kind.as_deref())
    .bind(filter.min_severity.map(Severity::as_str))
    .bind(filter.since.map(|at| at.as_datetime()))
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}
