//! The one transaction of an ingested batch. In order: claim the items' source ids (a source id
//! seen before makes its item a duplicate, answered with the alert it named); fold the items by
//! fingerprint and upsert them (a new alert, or occurrences added to the open one); point the
//! claimed source ids at the alert their item ended in; upsert the detection alerts (linked to
//! the alert they were raised on); index observables; add the new alerts to the statistics;
//! emit `alert.created`; queue correlation; write the audit row.

use super::Acting;
use super::events::{self, Created};
use super::ingest::{Accepted, Detected, Outcome};
use crate::error::AlertsError;
use crate::ingest::{Detection, Prepared};
use crate::jobs::Correlate;
use crate::model::{AlertId, AlertSourceId, AlertStatus};
use crate::store::ingest::{NewAlert, SourceIdScope, Upserted};
use crate::store::{self, stats::Delta, stats::Deltas};
use chrono::{DateTime, Utc};
use platform::TenantTx;
use platform::audit::{self, RequestContext};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What one batch writes.
#[derive(Debug)]
pub(crate) struct Batch<'a> {
    /// The adapter the items went through (`sigma` for a push of raw events).
    pub source: &'static str,
    pub ingest_source: Option<AlertSourceId>,
    pub originals: &'a [Prepared],
    pub detections: &'a [Detection],
    pub received_at: DateTime<Utc>,
    /// How many items were rejected (for the audit row).
    pub rejected: usize,
}

impl Batch<'_> {
    fn source_id_scope(&self) -> SourceIdScope<'_> {
        SourceIdScope { adapter: self.source, ingest_source: self.ingest_source }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Written {
    pub accepted: Vec<Accepted>,
    pub detections: Vec<Detected>,
}

pub(crate) async fn write(
    tx: &mut TenantTx,
    context: &RequestContext,
    acting: &Acting<'_>,
    batch: &Batch<'_>,
) -> Result<Written, AlertsError> {
    let at = batch.received_at;
    let candidates: Vec<AlertId> = batch.originals.iter().map(|_| AlertId::at(at)).collect();
    let (mut duplicates, within) = claim(tx, batch, &candidates).await?;
    let repeated: HashSet<usize> = within.iter().map(|(i, _)| *i).collect();
    // Items grouped by fingerprint (fingerprints must be distinct within one upsert).
    let fresh: Vec<usize> = (0..batch.originals.len())
        .filter(|i| !duplicates.contains_key(i) && !repeated.contains(i))
        .collect();
    let groups = group(batch.originals, &fresh);
    let rows: Vec<NewAlert<'_>> =
        groups.values().map(|members| row(batch.originals, &candidates, members, None)).collect();
    let upserted = upsert_rows(tx, &rows, at, batch.ingest_source).await?;

    let mut written = Written::default();
    let mut final_ids: HashMap<usize, AlertId> = HashMap::new();
    let mut repoint: Vec<(&str, AlertId)> = Vec::new();
    for (fingerprint, members) in &groups {
        let Some(done) = upserted.get(fingerprint) else { continue };
        for (position, &i) in members.iter().enumerate() {
            final_ids.insert(batch.originals[i].index, done.id);
            let outcome =
                if done.inserted && position == 0 { Outcome::Created } else { Outcome::Folded };
            written.accepted.push(Accepted {
                index: batch.originals[i].index,
                id: done.id,
                outcome,
                occurrences: done.occurrences,
            });
            if let Some(source_id) = &batch.originals[i].source_id
                && candidates[i] != done.id
            {
                repoint.push((source_id.as_str(), done.id));
            }
        }
    }
    // A source id repeated within the batch names what its first item became.
    for (i, earlier) in within {
        let earlier_id = duplicates
            .get(&earlier)
            .or_else(|| final_ids.get(&batch.originals[earlier].index))
            .copied();
        if let Some(id) = earlier_id {
            duplicates.insert(i, id);
        }
    }
    for (&i, &id) in &duplicates {
        written.accepted.push(Accepted {
            index: batch.originals[i].index,
            id,
            outcome: Outcome::Duplicate,
            occurrences: 0,
        });
    }
    written.accepted.sort_by_key(|a| a.index);
    store::ingest::repoint_source_ids(tx, batch.source_id_scope(), &repoint).await?;

    // Detections of items that were not duplicates, linked to the alert they were raised on.
    let duplicate_indexes: HashSet<usize> =
        duplicates.keys().map(|&i| batch.originals[i].index).collect();
    let detections: Vec<&Detection> =
        batch.detections.iter().filter(|d| !duplicate_indexes.contains(&d.index)).collect();
    let detected = write_detections(tx, &detections, &final_ids, at).await?;
    written.detections = detected.reports;

    // Observables of every written item; statistics and events of every new alert.
    let mut entries = Vec::new();
    for (prepared, id) in fresh
        .iter()
        .map(|&i| &batch.originals[i])
        .filter_map(|p| Some((p, *final_ids.get(&p.index)?)))
    {
        entries.extend(
            prepared.alert.finding.observables.iter().map(|o| (id, o.kind().as_str(), o.value())),
        );
    }
    for (prepared, id) in &detected.written {
        entries.extend(
            prepared.alert.finding.observables.iter().map(|o| (*id, o.kind().as_str(), o.value())),
        );
    }
    store::ingest::index_observables(tx, &entries).await?;

    let mut created: Vec<Created<'_>> = Vec::new();
    let mut deltas = Deltas::default();
    let new_alerts = groups
        .iter()
        .filter_map(|(fp, members)| Some((upserted.get(fp)?, &batch.originals[members[0]])))
        .chain(detected.created.iter().map(|(done, prepared)| (done, *prepared)))
        .filter(|(done, _)| done.inserted);
    for (done, prepared) in new_alerts {
        let finding = &prepared.alert.finding;
        deltas.add(at, i16::from(finding.severity.ocsf_id()), Delta::count(AlertStatus::New, 1));
        created.push(Created {
            id: done.id,
            title: &finding.title,
            severity: finding.severity,
            source: prepared.source,
            rule: finding.analytic.name.as_deref(),
        });
    }
    store::stats::apply(tx, &deltas).await?;
    events::created(tx, &created).await?;
    if !created.is_empty() && store::correlation::any_enabled(tx).await? {
        let alerts = created.iter().map(|c| c.id).collect();
        Correlate::enqueue(tx, alerts).await?;
    }
    if let Some(source) = batch.ingest_source {
        store::sources::touch(tx, source).await?;
    }
    let count = |outcome| written.accepted.iter().filter(|a| a.outcome == outcome).count();
    let summary = json!({
        "adapter": batch.source,
        "created": count(Outcome::Created),
        "folded": count(Outcome::Folded),
        "duplicates": count(Outcome::Duplicate),
        "rejected": batch.rejected,
        "detections": written.detections.len(),
    });
    audit::record(tx, &acting.audit(context, "alerts.ingest", "alert", None, summary)).await?;
    Ok(written)
}

/// Claims the source ids of the batch; returns the duplicates (position in `originals` → the
/// alert their source id names) and the repeats within the batch (position, position of the
/// first item with the same source id).
async fn claim(
    tx: &mut TenantTx,
    batch: &Batch<'_>,
    candidates: &[AlertId],
) -> Result<(HashMap<usize, AlertId>, Vec<(usize, usize)>), AlertsError> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut within: Vec<(usize, usize)> = Vec::new();
    for (i, prepared) in batch.originals.iter().enumerate() {
        if let Some(id) = prepared.source_id.as_deref() {
            match first.get(id) {
                Some(&earlier) => within.push((i, earlier)),
                None => {
                    first.insert(id, i);
                }
            }
        }
    }
    let mut duplicates = HashMap::new();
    if first.is_empty() {
        return Ok((duplicates, within));
    }
    let pairs: Vec<(String, AlertId)> =
        first.iter().map(|(id, &i)| (id.to_string(), candidates[i])).collect();
    let claimed: HashSet<String> =
        store::ingest::claim_source_ids(tx, batch.source_id_scope(), &pairs)
            .await?
            .into_iter()
            .collect();
    let seen: Vec<&str> = first.keys().copied().filter(|id| !claimed.contains(*id)).collect();
    if !seen.is_empty() {
        for (id, alert) in
            store::ingest::known_source_ids(tx, batch.source_id_scope(), &seen).await?
        {
            if let Some(&i) = first.get(id.as_str()) {
                duplicates.insert(i, alert);
            }
        }
    }
    Ok((duplicates, within))
}

/// Positions of `members` grouped by fingerprint, in batch order within each group.
fn group(items: &[Prepared], members: &[usize]) -> BTreeMap<Vec<u8>, Vec<usize>> {
    let mut groups: BTreeMap<Vec<u8>, Vec<usize>> = BTreeMap::new();
    for &i in members {
        groups.entry(items[i].fingerprint.clone()).or_default().push(i);
    }
    groups
}

fn row<'a>(
    items: &'a [Prepared],
    candidates: &[AlertId],
    members: &[usize],
    detection: Option<(crate::model::DetectionRuleId, Option<AlertId>)>,
) -> NewAlert<'a> {
    let first = &items[members[0]];
    let findings = members.iter().map(|&i| &items[i].alert.finding);
    let first_seen =
        findings.clone().map(|f| f.first_seen).min().unwrap_or(first.alert.finding.first_seen);
    let last_seen = findings.map(|f| f.last_seen).max().unwrap_or(first.alert.finding.last_seen);
    NewAlert {
        id: candidates[members[0]],
        prepared: first,
        occurrences: i64::try_from(members.len()).unwrap_or(i64::MAX),
        first_seen,
        last_seen,
        detection_rule_id: detection.map(|d| d.0),
        parent_alert_id: detection.and_then(|d| d.1),
    }
}

async fn upsert_rows(
    tx: &mut TenantTx,
    rows: &[NewAlert<'_>],
    at: DateTime<Utc>,
    ingest_source: Option<AlertSourceId>,
) -> Result<HashMap<Vec<u8>, Upserted>, AlertsError> {
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let upserted = store::ingest::upsert(tx, rows, at, ingest_source).await?;
    Ok(upserted.into_iter().map(|u| (u.fingerprint.clone(), u)).collect())
}

/// What writing the detections produced.
struct DetectionsWritten<'a> {
    reports: Vec<Detected>,
    /// Each written detection and its alert.
    written: Vec<(&'a Prepared, AlertId)>,
    /// One per fingerprint: the upsert's answer and the detection it wrote.
    created: Vec<(Upserted, &'a Prepared)>,
}

async fn write_detections<'a>(
    tx: &mut TenantTx,
    detections: &[&'a Detection],
    parents: &HashMap<usize, AlertId>,
    at: DateTime<Utc>,
) -> Result<DetectionsWritten<'a>, AlertsError> {
    let mut result =
        DetectionsWritten { reports: Vec::new(), written: Vec::new(), created: Vec::new() };
    if detections.is_empty() {
        return Ok(result);
    }
    let items: Vec<Prepared> = detections.iter().map(|d| d.prepared.clone()).collect();
    let candidates: Vec<AlertId> = items.iter().map(|_| AlertId::at(at)).collect();
    let all: Vec<usize> = (0..items.len()).collect();
    let groups = group(&items, &all);
    let rows: Vec<NewAlert<'_>> = groups
        .values()
        .map(|members| {
            let first = detections[members[0]];
            let parent = parents.get(&first.index).copied();
            row(&items, &candidates, members, Some((first.rule_id, parent)))
        })
        .collect();
    let upserted = upsert_rows(tx, &rows, at, None).await?;
    for (fingerprint, members) in &groups {
        let Some(done) = upserted.get(fingerprint) else { continue };
        for (position, &i) in members.iter().enumerate() {
            let outcome =
                if done.inserted && position == 0 { Outcome::Created } else { Outcome::Folded };
            result.reports.push(Detected {
                index: detections[i].index,
                rule_id: detections[i].rule_id,
                alert_id: done.id,
                outcome,
            });
            result.written.push((&detections[i].prepared, done.id));
        }
        let first = &detections[members[0]].prepared;
        result.created.push((done.clone(), first));
    }
    result.reports.sort_by_key(|d| (d.index, d.rule_id));
    Ok(result)
}
