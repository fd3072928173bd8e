//! The `diffscan_findings` table (tenant-owned): the findings of a completed scan, written in
//! one statement, replaced whole when a scan job runs again.

use crate::model::{FindingFilter, FindingRecord, ScanId};
use diffscan_engine::Finding;
use diffscan_engine::rules::Severity;
use platform::TenantTx;

const COLUMNS: &str = "ordinal, rule_id, family, severity, confidence, title, message, path, \
    start_line, end_line, diff_line, snippet, fingerprint, status, blocking, suppression";

fn severity_rank(severity: Severity) -> i32 {
    match severity {
        Severity::Info => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

/// Replaces the findings of `scan` with `findings`, in order.
#[tracing::instrument(skip(tx, findings), fields(count = findings.len()))]
pub(crate) async fn replace(
    tx: &mut TenantTx,
    scan: ScanId,
    findings: &[Finding],
) -> sqlx::Result<()> {
    sqlx::query("delete from diffscan_findings where tenant_id = $1 and scan_id = $2")
        .bind(tx.tenant())
        .bind(scan)
        .execute(&mut **tx)
        .await?;
    if findings.is_empty() {
        return Ok(());
    }
    let text = |f: fn(&Finding) -> String| findings.iter().map(f).collect::<Vec<String>>();
    let lines = |f: fn(&Finding) -> Option<u32>| {
        findings.iter().map(|x| f(x).and_then(|n| i32::try_from(n).ok())).collect::<Vec<_>>()
    };
    let ordinals: Vec<i32> =
        (0..findings.len()).map(|i| i32::try_from(i).unwrap_or(i32::MAX)).collect();
    let paths: Vec<Option<String>> = findings.iter().map(|f| f.path.clone()).collect();
    let diff_lines: Vec<Option<i64>> =
        findings.iter().map(|f| f.diff_line.and_then(|n| i64::try_from(n).ok())).collect();
    let blocking: Vec<bool> = findings.iter().map(|f| f.blocking).collect();
    let suppressions: Vec<Option<serde_json::Value>> = findings
        .iter()
        .map(|f| f.suppression.as_ref().and_then(|s| serde_json::to_value(s).ok()))
        .collect();
    sqlx::query(
        "insert into diffscan_findings (tenant_id, scan_id, ordinal, rule_id, family, severity,
                confidence, title, message, path, start_line, end_line, diff_line, snippet,
                fingerprint, status, blocking, suppression)
         select $1, $2, * from unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::text[], $9::text[], $10::text[], $11::int[], $12::int[], $13::bigint[],
                $14::text[], $15::text[], $16::text[], $17::bool[], $18::jsonb[])",
    )
    .bind(tx.tenant())
    .bind(scan)
    .bind(&ordinals)
    .bind(text(|f| f.rule_id.clone()))
    .bind(text(|f| f.family.as_str().to_string()))
    .bind(text(|f| f.severity.as_str().to_string()))
    .bind(text(|f| f.confidence.as_str().to_string()))
    .bind(text(|f| f.title.clone()))
    .bind(text(|f| f.message.clone()))
    .bind(&paths)
    .bind(lines(|f| f.start_line))
    .bind(lines(|f| f.end_line))
    .bind(&diff_lines)
    .bind(text(|f| f.snippet.clone()))
    .bind(text(|f| f.fingerprint.clone()))
    .bind(text(|f| f.status.as_str().to_string()))
    .bind(&blocking)
    .bind(&suppressions)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// One page of the findings of `scan` matching `filter`, in report order, after the finding
/// `after` (exclusive).
#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    scan: ScanId,
    filter: &FindingFilter,
    after: Option<i32>,
    limit: i64,
) -> sqlx::Result<Vec<FindingRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_findings
          where tenant_id = $1 and scan_id = $2
            and ($3::text is null or status = $3)
            and ($4::bool is null or blocking = $4)
            and ($5::int is null or severity_rank(severity) >= $5)
            and ($6::text is null or family = $6)
            and ($7::text is null or rule_id = $7)
            and ($8::int is null or ordinal > $8)
          order by ordinal limit $9"
    )))
    .bind(tx.tenant())
    .bind(scan)
    .bind(filter.status.map(|s| s.as_str()))
    .bind(filter.blocking)
    .bind(filter.min_severity.map(severity_rank))
    .bind(filter.family.map(|f| f.as_str()))
    .bind(filter.rule_id.as_deref())
    .bind(after)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// Every open finding of `scan` (to accept into a baseline), at most `limit`.
#[tracing::instrument(skip(tx))]
pub(crate) async fn acceptable(
    tx: &mut TenantTx,
    scan: ScanId,
    limit: i64,
) -> sqlx::Result<Vec<(String, String, Option<String>)>> {
    sqlx::query_as(
        "select distinct on (fingerprint) fingerprint, rule_id, path from diffscan_findings
          where tenant_id = $1 and scan_id = $2 and status in ('open', 'baselined')
          order by fingerprint limit $3",
    )
    .bind(tx.tenant())
    .bind(scan)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}
