//! Reading the audit log (tenant-owned, append-only): one page of one tenant's chain, newest
//! first, filtered. It owns the read query of `GET /v1/audit-log`, the benchmark hot path: one
//! query, walking the `(tenant_id, seq)` primary key backwards, with no count and no second
//! query. It must not write (rows are appended by `platform::audit::record` alone) and must not
//! change any setting beyond its own transaction.

use crate::model::{ActionMatch, AuditFilter, AuditRow};
use platform::TenantTx;
use platform::db::PlannerHint;
use sqlx::{Postgres, QueryBuilder};

/// Up to `limit` rows of the transaction tenant's chain matching `filter` and before `before_seq`
/// (the cursor), by descending `seq`. The SQL text
/// depends only on which filters are set, so each combination is one prepared statement.
///
/// Turns bitmap scans off for the rest of the transaction first: until a freshly filled table is
/// analyzed, PostgreSQL underestimates a tenant's rows and prefers a bitmap scan of the whole
/// chain plus a sort (about 100 times slower at 10,000 rows) to walking the primary key
/// backwards. With bitmap scans off the plan is the primary key whatever the statistics say;
/// no other index on `audit_log` would serve these filters better through a bitmap.
#[tracing::instrument(level = "debug", skip(tx))]
pub(crate) async fn page(
    tx: &mut TenantTx,
    filter: &AuditFilter,
    before_seq: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<AuditRow>> {
    tx.hint(PlannerHint::NoBitmapScan).await?;
    let mut query = QueryBuilder::<Postgres>::new(
        "select id, seq, occurred_at, actor_type, actor_id, action, target_type, target_id, \
         request_id, source_ip, user_agent, summary from audit_log where tenant_id = ",
    );
    query.push_bind(tx.tenant());
    if let Some(seq) = before_seq {
        query.push(" and seq < ").push_bind(seq);
    }
    if let Some(actor) = filter.actor_id {
        query.push(" and actor_id = ").push_bind(actor);
    }
    match &filter.action {
        Some(ActionMatch::Exact(action)) => {
            query.push(" and action = ").push_bind(action.as_str());
        }
        Some(ActionMatch::Prefix(prefix)) => {
            query.push(" and starts_with(action, ").push_bind(prefix.as_str()).push(")");
        }
        None => {}
    }
    if let Some(target_type) = &filter.target_type {
        query.push(" and target_type = ").push_bind(target_type.as_str());
    }
    if let Some(target_id) = &filter.target_id {
        query.push(" and target_id = ").push_bind(target_id.as_str());
    }
    if let Some(since) = filter.since {
        query.push(" and occurred_at >= ").push_bind(since.as_datetime());
    }
    if let Some(until) = filter.until {
        query.push(" and occurred_at < ").push_bind(until.as_datetime());
    }
    // The limit is written into the text, not bound: with `limit $n` PostgreSQL cannot cost a
    // generic plan and plans every execution afresh (most of this query's time). The limit is
    // a bounded integer of ours (a page size), so the text stays safe and the statements few.
    query.push(format_args!(" order by seq desc limit {}", limit.clamp(1, 1001)));
    query.build_query_as().fetch_all(&mut **tx).await
}
