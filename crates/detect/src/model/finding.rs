//! The normalized finding: what Palisade knows about one alert once its source's shape is gone.
//! It maps one-to-one onto the OCSF Detection Finding attributes it fills (see
//! `normalize::ocsf`), and keeps the source payload beside it untouched. Nothing here parses
//! source payloads.

use crate::catalog::TechniqueId;
use crate::model::{Confidence, FindingStatus, Observable, ObservableKind, Severity, SourceKind};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// The product that reported the alert (OCSF `metadata.product`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Product {
    pub name: String,
    pub vendor: String,
    pub version: Option<String>,
}

/// The rule or model that raised the alert (OCSF `finding_info.analytic`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Analytic {
    pub uid: Option<String>,
    pub name: Option<String>,
}

impl Analytic {
    pub fn is_empty(&self) -> bool {
        self.uid.is_none() && self.name.is_none()
    }
}

/// One ATT&CK technique the alert relates to, resolved against the catalog, with the tactic it
/// is reported under (OCSF `finding_info.attacks[]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attack {
    /// The technique; for a sub-technique, its parent.
    pub technique: TechniqueId,
    pub technique_name: String,
    pub sub_technique: Option<(TechniqueId, String)>,
    pub tactic: Option<(String, String)>,
}

/// An asset the finding is about (OCSF `resources[]`): a host, an agent, a cloud resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    pub kind: String,
    pub name: Option<String>,
    pub uid: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub source: SourceKind,
    /// OCSF `finding_info.uid`: the source's id, or a digest of the payload when it has none.
    pub uid: String,
    /// The source's own id for the alert, when it has one (idempotent re-sends key on it).
    pub original_uid: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub analytic: Analytic,
    pub types: Vec<String>,
    pub attacks: Vec<Attack>,
    /// Technique ids the source named that the ATT&CK catalog does not know.
    pub unknown_techniques: Vec<String>,
    pub severity: Severity,
    pub status: FindingStatus,
    pub confidence: Confidence,
    pub time: DateTime<Utc>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub product: Product,
    pub observables: Vec<Observable>,
    pub resources: Vec<Resource>,
}

impl Finding {
    pub fn observables_of(&self, kind: ObservableKind) -> impl Iterator<Item = &Observable> {
        self.observables.iter().filter(move |o| o.kind() == kind)
    }

    /// Technique ids as reported (sub-techniques where the source gave one).
    pub fn technique_ids(&self) -> Vec<TechniqueId> {
        let mut ids: Vec<TechniqueId> = self
            .attacks
            .iter()
            .map(|a| a.sub_technique.as_ref().map_or(&a.technique, |(id, _)| id).clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

/// What an adapter hands back for one item: the finding and the payload it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct NormalizedAlert {
    pub finding: Finding,
    pub raw: Value,
}

impl NormalizedAlert {
    /// The finding as an OCSF 1.8.0 Detection Finding document.
    pub fn to_ocsf(&self) -> Value {
        crate::normalize::ocsf::render(&self.finding)
    }
}
