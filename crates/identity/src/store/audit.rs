//! Reading the audit log (tenant-owned, append-only): one page of one tenant's chain, newest
//! first, filtered. It owns the read of `GET /v1/audit-log`, the benchmark hot path: one call of
//! `audit_log_page` (in `migrations/*_one_call_reads.sql`), which scopes itself to the tenant
//! and walks the `(tenant_id, seq)` primary key backwards, in one round trip, with no count and
//! no second query. It must not write (rows are appended by `platform::audit::record` alone).

use crate::model::{ActionMatch, AuditFilter, AuditRow};
use platform::TenantRead;

/// Up to `limit` rows of the read's tenant chain matching `filter` and before `before_seq` (the
/// cursor), by descending `seq`. One statement serves every combination of filters (an unset
/// filter is passed as null), so the connection prepares it once.
#[tracing::instrument(level = "debug", skip(read))]
pub(crate) async fn page(
    read: &mut TenantRead,
    filter: &AuditFilter,
    before_seq: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<AuditRow>> {
    let (exact, prefix) = match &filter.action {
        Some(ActionMatch::Exact(action)) => (Some(action.as_str()), None),
        Some(ActionMatch::Prefix(prefix)) => (None, Some(prefix.as_str())),
        None => (None, None),
    };
    read.call("select * from audit_log_page($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(before_seq)
        .bind(filter.actor_id)
        .bind(exact)
        .bind(prefix)
        .bind(filter.target_type.as_deref())
        .bind(filter.target_id.as_deref())
        .bind(filter.since.map(|since| since.as_datetime()))
        .bind(filter.until.map(|until| until.as_datetime()))
        .bind(i32::try_from(limit.clamp(1, 1001)).unwrap_or(1001))
        .fetch_all(&mut **read)
        .await
}
