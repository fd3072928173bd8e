//! Dedup keys. A [`Fingerprint`] names "the same alert again": a digest of the source, the
//! analytic and the key observables — which keys is configured per source — stable across
//! repeats whatever the time, order or letter case. An [`IdempotencyKey`] names "the same push
//! again": the source and its own id, for re-sends. Neither looks at storage; the service
//! compares them.

use crate::model::{NormalizedAlert, ObservableKind, SourceKind};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;

/// One ingredient of a fingerprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FingerprintKey {
    /// The rule (analytic uid, else its name, else the title).
    Analytic,
    /// Every observable of this kind.
    Observable(ObservableKind),
    /// The resources' names (the hosts the alert is about).
    Resource,
}

impl FingerprintKey {
    /// Reads `analytic`, `resource` or an observable kind (`ip`, `user`, `file_hash` …).
    pub fn parse(text: &str) -> Option<FingerprintKey> {
        match text.trim().to_ascii_lowercase().as_str() {
            "analytic" | "rule" => Some(FingerprintKey::Analytic),
            "resource" | "resources" => Some(FingerprintKey::Resource),
            other => ObservableKind::parse(other).map(FingerprintKey::Observable),
        }
    }

    /// The key's stable name inside the digest (changing one changes every fingerprint).
    fn label(self) -> String {
        match self {
            FingerprintKey::Analytic => "analytic".into(),
            FingerprintKey::Resource => "resource".into(),
            FingerprintKey::Observable(kind) => format!("observable:{kind}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a fingerprint key (analytic, resource, or an observable type)")]
pub struct FingerprintKeyError(pub String);

/// Which keys make two alerts of a source "the same".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerprintConfig {
    default: Vec<FingerprintKey>,
    #[serde(default)]
    per_source: BTreeMap<SourceKind, Vec<FingerprintKey>>,
}

impl Default for FingerprintConfig {
    /// The rule on the same host with the same accounts and addresses.
    fn default() -> Self {
        FingerprintConfig {
            default: vec![
                FingerprintKey::Analytic,
                FingerprintKey::Observable(ObservableKind::Hostname),
                FingerprintKey::Observable(ObservableKind::User),
                FingerprintKey::Observable(ObservableKind::Ip),
            ],
            per_source: BTreeMap::new(),
        }
    }
}

impl FingerprintConfig {
    /// Parses a comma list of keys (`analytic,hostname,user`).
    pub fn parse_keys(list: &str) -> Result<Vec<FingerprintKey>, FingerprintKeyError> {
        list.split(',')
            .filter(|k| !k.trim().is_empty())
            .map(|k| FingerprintKey::parse(k).ok_or_else(|| FingerprintKeyError(k.to_string())))
            .collect()
    }

    pub fn with_default(mut self, keys: Vec<FingerprintKey>) -> Self {
        self.default = keys;
        self
    }

    pub fn with_source(mut self, source: SourceKind, keys: Vec<FingerprintKey>) -> Self {
        self.per_source.insert(source, keys);
        self
    }

    pub fn keys_for(&self, source: SourceKind) -> &[FingerprintKey] {
        self.per_source.get(&source).unwrap_or(&self.default)
    }
}

/// A hex SHA-256 dedup key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Fingerprint(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a fingerprint is 64 lowercase hex digits")]
pub struct FingerprintError;

impl Fingerprint {
    pub fn parse(text: &str) -> Result<Fingerprint, FingerprintError> {
        let valid = text.len() == 64
            && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if valid { Ok(Fingerprint(text.to_string())) } else { Err(FingerprintError) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The fingerprint of `alert` under `config`.
    pub fn of(alert: &NormalizedAlert, config: &FingerprintConfig) -> Fingerprint {
        let finding = &alert.finding;
        let mut hasher = Sha256::new();
        // Versioned and length-prefixed, so that no two ingredient lists hash alike.
        feed(&mut hasher, "palisade-fingerprint-v1");
        feed(&mut hasher, finding.source.as_str());
        for key in config.keys_for(finding.source) {
            let mut values: Vec<String> = match key {
                FingerprintKey::Analytic => {
                    let analytic = &finding.analytic;
                    let rule =
                        analytic.uid.as_ref().or(analytic.name.as_ref()).unwrap_or(&finding.title);
                    vec![rule.to_lowercase()]
                }
                FingerprintKey::Observable(kind) => {
                    finding.observables_of(*kind).map(|o| o.value().to_string()).collect()
                }
                FingerprintKey::Resource => finding
                    .resources
                    .iter()
                    .filter_map(|r| r.name.as_ref().or(r.uid.as_ref()))
                    .map(|n| n.to_lowercase())
                    .collect(),
            };
            values.sort();
            values.dedup();
            feed(&mut hasher, &key.label());
            feed(&mut hasher, &values.len().to_string());
            values.iter().for_each(|v| feed(&mut hasher, v));
        }
        Fingerprint(hex::encode(hasher.finalize()))
    }
}

fn feed(hasher: &mut Sha256, part: &str) {
    hasher.update((part.len() as u64).to_be_bytes());
    hasher.update(part.as_bytes());
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The source and its own id for an alert: a re-send of the same push carries the same key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IdempotencyKey {
    pub source: SourceKind,
    pub source_id: String,
}

impl IdempotencyKey {
    /// `None` when the source gave the alert no id of its own.
    pub fn of(alert: &NormalizedAlert) -> Option<IdempotencyKey> {
        let finding = &alert.finding;
        finding
            .original_uid
            .as_ref()
            .map(|id| IdempotencyKey { source: finding.source, source_id: id.clone() })
    }
}
