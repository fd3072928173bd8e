//! From an adapter's draft to a finished [`Finding`]: required parts checked, defaults applied
//! (time falls back to when Palisade received the alert, first and last seen to the time), ATT&CK
//! ids resolved against the catalog into techniques and tactics, observables and resources
//! deduplicated, and a payload digest standing in for a missing source id. Rendering the finding
//! as OCSF JSON is in [`ocsf`]. Adapters fill drafts; they never build findings themselves.

pub mod ocsf;

use crate::catalog::{AttackCatalog, TechniqueId};
use crate::error::AdapterError;
use crate::model::{
    Analytic, Attack, Confidence, Finding, FindingStatus, Observable, ObservableKind, Product,
    Resource, Severity, SourceKind,
};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// What an adapter read from one payload, before defaults and catalog lookups.
#[derive(Debug, Default)]
pub struct FindingDraft {
    pub original_uid: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub analytic: Analytic,
    pub types: Vec<String>,
    /// Technique ids as the source wrote them (`T1059.001`, `attack.t1059`).
    pub techniques: Vec<String>,
    /// Tactics the source reported (names, shortnames or ids), used to pick the tactic of each
    /// technique when it has several.
    pub tactics: Vec<String>,
    pub severity: Option<Severity>,
    pub status: Option<FindingStatus>,
    pub confidence: Option<Confidence>,
    pub time: Option<DateTime<Utc>>,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    pub observables: Vec<Observable>,
    pub resources: Vec<Resource>,
}

impl FindingDraft {
    /// Adds an observable when the value is one (empty and placeholder values are skipped).
    pub fn observe(&mut self, kind: ObservableKind, name: &str, value: Option<String>) {
        if let Some(observable) = value.and_then(|v| Observable::new(kind, name, &v)) {
            self.observables.push(observable);
        }
    }

    pub fn resource(&mut self, kind: &str, name: Option<String>, uid: Option<String>) {
        if name.is_some() || uid.is_some() {
            self.resources.push(Resource { kind: kind.to_string(), name, uid });
        }
    }
}

/// Finishes a draft. `received_at` is when Palisade received the alert: the time of last resort.
pub fn complete(
    source: SourceKind,
    product: Product,
    mut draft: FindingDraft,
    raw: &Value,
    received_at: DateTime<Utc>,
) -> Result<Finding, AdapterError> {
    let title = draft.title.take().ok_or_else(|| AdapterError::missing("title"))?;
    let time = draft.time.unwrap_or(received_at);
    let first_seen = draft.first_seen.unwrap_or(time).min(time);
    let last_seen = draft.last_seen.unwrap_or(time).max(time);
    let (attacks, unknown_techniques) = resolve_attacks(&draft.techniques, &draft.tactics);
    draft.observables.sort();
    draft.observables.dedup_by(|a, b| a.kind() == b.kind() && a.value() == b.value());
    draft.resources.dedup();
    draft.types.dedup();
    let uid = draft.original_uid.clone().unwrap_or_else(|| payload_digest(raw));
    Ok(Finding {
        source,
        uid,
        original_uid: draft.original_uid,
        title,
        description: draft.description,
        analytic: draft.analytic,
        types: draft.types,
        attacks,
        unknown_techniques,
        severity: draft.severity.unwrap_or(Severity::Unknown),
        status: draft.status.unwrap_or(FindingStatus::New),
        confidence: draft.confidence.unwrap_or(Confidence::Unknown),
        time,
        first_seen,
        last_seen,
        product,
        observables: draft.observables,
        resources: draft.resources,
    })
}

/// A stable digest of a payload (its canonical JSON: serde_json sorts object keys).
pub fn payload_digest(raw: &Value) -> String {
    let canonical = serde_json::to_string(raw).unwrap_or_default();
    hex::encode(&Sha256::digest(canonical.as_bytes())[..16])
}

/// Resolves technique ids into attacks, one per technique and tactic it is reported under.
/// Returns the ids the catalog does not know separately: they are kept, not dropped.
pub fn resolve_attacks(techniques: &[String], tactics: &[String]) -> (Vec<Attack>, Vec<String>) {
    let catalog = AttackCatalog::embedded();
    let reported: Vec<&str> =
        tactics.iter().filter_map(|t| catalog.tactic(t)).map(|t| t.shortname.as_str()).collect();
    let mut attacks = Vec::new();
    let mut unknown = Vec::new();
    for text in techniques {
        let Ok(id) = TechniqueId::parse(text) else {
            unknown.push(text.clone());
            continue;
        };
        let Some(found) = catalog.technique(&id) else {
            unknown.push(id.to_string());
            continue;
        };
        let parent = id.parent().and_then(|p| catalog.technique(&p).cloned());
        let (technique, sub) = match parent {
            Some(parent) => (parent, Some((found.id.clone(), found.name.clone()))),
            None => (found.clone(), None),
        };
        // The tactics the source named, where the technique belongs to them; else all of its own.
        let mut chosen: Vec<&String> =
            found.tactics.iter().filter(|t| reported.contains(&t.as_str())).collect();
        if chosen.is_empty() {
            chosen = found.tactics.iter().collect();
        }
        for shortname in chosen {
            let tactic = catalog.tactic(shortname).map(|t| (t.id.clone(), t.name.clone()));
            let attack = Attack {
                technique: technique.id.clone(),
                technique_name: technique.name.clone(),
                sub_technique: sub.clone(),
                tactic,
            };
            if !attacks.contains(&attack) {
                attacks.push(attack);
            }
        }
    }
    (attacks, unknown)
}
