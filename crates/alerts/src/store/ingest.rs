//! The writes of one ingested batch: claiming source ids (idempotency), the upsert that folds
//! repeats into the open alert of their fingerprint, and the observables index.

use crate::ingest::Prepared;
use crate::model::{AlertId, AlertSourceId, DetectionRuleId};
use chrono::{DateTime, Utc};
use platform::TenantTx;
use uuid::Uuid;

/// One row of the upsert: a prepared alert (the first of its fingerprint in the batch) and what
/// the batch's repeats of it add.
#[derive(Debug)]
pub(crate) struct NewAlert<'a> {
    pub id: AlertId,
    pub prepared: &'a Prepared,
    pub occurrences: i64,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub detection_rule_id: Option<DetectionRuleId>,
    pub parent_alert_id: Option<AlertId>,
}

/// What the upsert did with one fingerprint.
#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct Upserted {
    pub id: AlertId,
    pub fingerprint: Vec<u8>,
    /// A new alert; otherwise the batch folded into an open one.
    pub inserted: bool,
    pub occurrences: i64,
}

/// Where a source's own alert ids are unique: the adapter, and the configured source that
/// pushed them (none for a push authenticated by an API key).
#[derive(Clone, Copy, Debug)]
pub(crate) struct SourceIdScope<'a> {
    pub adapter: &'a str,
    pub ingest_source: Option<AlertSourceId>,
}

impl SourceIdScope<'_> {
    /// The `scope` column: the configured source, or the tenant for API-key pushes.
    fn column(&self, tx: &TenantTx) -> Uuid {
        self.ingest_source.map_or(tx.tenant().as_uuid(), |s| s.as_uuid())
    }
}

/// Claims `(source_id, candidate alert id)` pairs; returns the source ids that were new. The
/// others were claimed before (or by a concurrent batch, which this waits for).
#[tracing::instrument(skip(tx, pairs), fields(n = pairs.len()))]
pub(crate) async fn claim_source_ids(
    tx: &mut TenantTx,
    scope: SourceIdScope<'_>,
    pairs: &[(String, AlertId)],
) -> sqlx::Result<Vec<String>> {
    let (ids, alerts): (Vec<&str>, Vec<Uuid>) =
        pairs.iter().map(|(id, alert)| (id.as_str(), alert.as_uuid())).unzip();
    sqlx::query_scalar(
        "insert into alert_source_ids (tenant_id, source, scope, source_id, alert_id)
         select $1, $2, $3, u.source_id, u.alert_id
           from unnest($4::text[], $5::uuid[]) as u(source_id, alert_id)
          order by u.source_id
         on conflict do nothing
         returning source_id",
    )
    .bind(tx.tenant())
    .bind(scope.adapter)
    .bind(scope.column(tx))
    .bind(&ids)
    .bind(&alerts)
    .fetch_all(&mut **tx)
    .await
}

/// The alerts already named by these source ids.
#[tracing::instrument(skip(tx, ids), fields(n = ids.len()))]
pub(crate) async fn known_source_ids(
    tx: &mut TenantTx,
    scope: SourceIdScope<'_>,
    ids: &[&str],
) -> sqlx::Result<Vec<(String, AlertId)>> {
    sqlx::query_as(
        "select source_id, alert_id from alert_source_ids
          where tenant_id = $1 and source = $2 and scope = $3 and source_id = any($4::text[])",
    )
    .bind(tx.tenant())
    .bind(scope.adapter)
    .bind(scope.column(tx))
    .bind(ids)
    .fetch_all(&mut **tx)
    .await
}

/// Points claimed source ids at the alert their item folded into.
#[tracing::instrument(skip(tx, pairs), fields(n = pairs.len()))]
pub(crate) async fn repoint_source_ids(
    tx: &mut TenantTx,
    scope: SourceIdScope<'_>,
    pairs: &[(&str, AlertId)],
) -> sqlx::Result<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    let (ids, alerts): (Vec<&str>, Vec<Uuid>) =
        pairs.iter().map(|(id, alert)| (*id, alert.as_uuid())).unzip();
    sqlx::query(
        "update alert_source_ids s set alert_id = u.alert_id
           from unnest($4::text[], $5::uuid[]) as u(source_id, alert_id)
          where s.tenant_id = $1 and s.source = $2 and s.scope = $3
            and s.source_id = u.source_id",
    )
    .bind(tx.tenant())
    .bind(scope.adapter)
    .bind(scope.column(tx))
    .bind(&ids)
    .bind(&alerts)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Inserts each row, or folds it into the open alert of its fingerprint (occurrences added,
/// first and last seen widened). Fingerprints must be distinct within `rows`.
#[tracing::instrument(skip(tx, rows), fields(n = rows.len()))]
pub(crate) async fn upsert(
    tx: &mut TenantTx,
    rows: &[NewAlert<'_>],
    created_at: DateTime<Utc>,
    ingest_source: Option<AlertSourceId>,
) -> sqlx::Result<Vec<Upserted>> {
    let mut columns = Columns::default();
    for row in rows {
        columns.push(row);
    }
    sqlx::query_as(
        "insert into alerts (tenant_id, id, fingerprint, source, ingest_source_id, title,
                             description, severity, rule_uid, rule_name, detection_rule_id,
                             parent_alert_id, occurrences, first_seen_at, last_seen_at, event_time,
                             created_at, updated_at, keywords, finding, raw)
         select $1, u.id, u.fingerprint, u.source, $2, u.title, u.description, u.severity,
                u.rule_uid, u.rule_name, u.detection_rule_id, u.parent_alert_id, u.occurrences,
                u.first_seen, u.last_seen, u.event_time, $3, $3, u.keywords, u.finding::jsonb,
                u.raw::json
           from unnest($4::uuid[], $5::bytea[], $6::text[], $7::text[], $8::text[],
                       $9::int2[], $10::text[], $11::text[], $12::uuid[], $13::uuid[],
                       $14::int8[], $15::timestamptz[], $16::timestamptz[],
                       $17::timestamptz[], $18::text[], $19::text[], $20::text[])
                as u(id, fingerprint, source, title, description, severity, rule_uid, rule_name,
                     detection_rule_id, parent_alert_id, occurrences, first_seen, last_seen,
                     event_time, keywords, finding, raw)
          order by u.fingerprint
         on conflict (tenant_id, fingerprint) where status <> 'closed' do update
            set occurrences = alerts.occurrences + excluded.occurrences,
                first_seen_at = least(alerts.first_seen_at, excluded.first_seen_at),
                last_seen_at = greatest(alerts.last_seen_at, excluded.last_seen_at),
                updated_at = excluded.updated_at
         returning id, fingerprint, (xmax = 0) as inserted, occurrences",
    )
    .bind(tx.tenant())
    .bind(ingest_source)
    .bind(created_at)
    .bind(&columns.id)
    .bind(&columns.fingerprint)
    .bind(&columns.source)
    .bind(&columns.title)
    .bind(&columns.description)
    .bind(&columns.severity)
    .bind(&columns.rule_uid)
    .bind(&columns.rule_name)
    .bind(&columns.detection_rule_id)
    .bind(&columns.parent_alert_id)
    .bind(&columns.occurrences)
    .bind(&columns.first_seen)
    .bind(&columns.last_seen)
    .bind(&columns.event_time)
    .bind(&columns.keywords)
    .bind(&columns.finding)
    .bind(&columns.raw)
    .fetch_all(&mut **tx)
    .await
}

/// The upsert's columns, one array each.
#[derive(Default)]
struct Columns<'a> {
    id: Vec<Uuid>,
    fingerprint: Vec<&'a [u8]>,
    source: Vec<&'a str>,
    title: Vec<&'a str>,
    description: Vec<Option<&'a str>>,
    severity: Vec<i16>,
    rule_uid: Vec<Option<&'a str>>,
    rule_name: Vec<Option<&'a str>>,
    detection_rule_id: Vec<Option<Uuid>>,
    parent_alert_id: Vec<Option<Uuid>>,
    occurrences: Vec<i64>,
    first_seen: Vec<DateTime<Utc>>,
    last_seen: Vec<DateTime<Utc>>,
    event_time: Vec<DateTime<Utc>>,
    keywords: Vec<&'a str>,
    finding: Vec<&'a str>,
    raw: Vec<&'a str>,
}

impl<'a> Columns<'a> {
    fn push(&mut self, row: &NewAlert<'a>) {
        let prepared = row.prepared;
        let finding = &prepared.alert.finding;
        self.id.push(row.id.as_uuid());
        self.fingerprint.push(&prepared.fingerprint);
        self.source.push(prepared.source);
        self.title.push(&finding.title);
        self.description.push(finding.description.as_deref());
        self.severity.push(i16::from(finding.severity.ocsf_id()));
        self.rule_uid.push(finding.analytic.uid.as_deref());
        self.rule_name.push(finding.analytic.name.as_deref());
        self.detection_rule_id.push(row.detection_rule_id.map(|id| id.as_uuid()));
        self.parent_alert_id.push(row.parent_alert_id.map(|id| id.as_uuid()));
        self.occurrences.push(row.occurrences);
        self.first_seen.push(row.first_seen);
        self.last_seen.push(row.last_seen);
        self.event_time.push(finding.time);
        self.keywords.push(&prepared.keywords);
        self.finding.push(&prepared.finding);
        self.raw.push(&prepared.raw);
    }
}

/// Adds `(alert, kind, value)` entries to the observables index (values over 1024 bytes are
/// left out; entries already there are skipped).
#[tracing::instrument(skip(tx, entries), fields(n = entries.len()))]
pub(crate) async fn index_observables(
    tx: &mut TenantTx,
    entries: &[(AlertId, &str, &str)],
) -> sqlx::Result<()> {
    let mut sorted: Vec<&(AlertId, &str, &str)> =
        entries.iter().filter(|(_, _, value)| !value.is_empty() && value.len() <= 1024).collect();
    sorted.sort_by(|a, b| (a.2, a.1, a.0).cmp(&(b.2, b.1, b.0)));
    sorted.dedup();
    if sorted.is_empty() {
        return Ok(());
    }
    let alerts: Vec<Uuid> = sorted.iter().map(|(alert, _, _)| alert.as_uuid()).collect();
    let kinds: Vec<&str> = sorted.iter().map(|(_, kind, _)| *kind).collect();
    let values: Vec<&str> = sorted.iter().map(|(_, _, value)| *value).collect();
    sqlx::query(
        "insert into alert_observables (tenant_id, value, kind, alert_id)
         select $1, u.value, u.kind, u.alert_id
           from unnest($2::text[], $3::text[], $4::uuid[]) as u(value, kind, alert_id)
         on conflict do nothing",
    )
    .bind(tx.tenant())
    .bind(&values)
    .bind(&kinds)
    .bind(&alerts)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
