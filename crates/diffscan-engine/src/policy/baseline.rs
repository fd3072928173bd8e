//! Baselines: the fingerprints of findings a team has accepted, so that only new findings
//! block. A fingerprint hashes the rule, the path and the matched content (whitespace collapsed),
//! never a line number, so it survives the line moving.
//!
//! A baseline is read from JSON or YAML and written as JSON from a report; it must not carry
//! the matched content itself (it may be a secret).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::report::{FindingStatus, Report};

/// A stable identity of a finding: hex SHA-256 over rule id, path and matched content.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Fingerprint(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaselineError {
    #[error("fingerprint {0:?} is not 64 lowercase hex digits")]
    Fingerprint(String),
    #[error("baseline does not parse: {0}")]
    Syntax(String),
    #[error("baseline version {0} is not supported (expected 1)")]
    Version(u32),
}

impl Fingerprint {
    pub fn compute(rule_id: &str, path: Option<&str>, content: &[u8]) -> Fingerprint {
        let mut hasher = Sha256::new();
        for part in [rule_id.as_bytes(), path.unwrap_or("").as_bytes(), content] {
            hasher.update((part.len() as u64).to_be_bytes());
            hasher.update(part);
        }
        Fingerprint(hex::encode(hasher.finalize()))
    }

    pub fn parse(text: &str) -> Result<Fingerprint, BaselineError> {
        let valid = text.len() == 64
            && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if valid {
            Ok(Fingerprint(text.to_string()))
        } else {
            Err(BaselineError::Fingerprint(text.chars().take(80).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Fingerprint {
    type Error = BaselineError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Fingerprint::parse(&text)
    }
}

impl From<Fingerprint> for String {
    fn from(fingerprint: Fingerprint) -> Self {
        fingerprint.0
    }
}

/// Accepted findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    entries: Vec<BaselineEntry>,
    index: BTreeSet<Fingerprint>,
}

/// One accepted finding; rule and path are there for people reading the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub fingerprint: Fingerprint,
    pub rule: String,
    #[serde(default)]
    pub path: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    #[serde(default)]
    generated_by: Option<String>,
    entries: Vec<BaselineEntry>,
}

impl Baseline {
    pub fn new(entries: Vec<BaselineEntry>) -> Baseline {
        let index = entries.iter().map(|entry| entry.fingerprint.clone()).collect();
        Baseline { entries, index }
    }

    /// Reads a baseline file, JSON or YAML.
    pub fn parse(text: &str) -> Result<Baseline, BaselineError> {
        let file: BaselineFile = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| BaselineError::Syntax(e.to_string()))?
        } else {
            serde_saphyr::from_str(text)
                .map_err(|e| BaselineError::Syntax(e.without_snippet().to_string()))?
        };
        if file.version != 1 {
            return Err(BaselineError::Version(file.version));
        }
        Ok(Baseline::new(file.entries))
    }

    /// Every finding of the report that is open or already baselined (suppressed and excepted
    /// findings are accepted elsewhere), de-duplicated.
    pub fn from_report(report: &Report) -> Baseline {
        let mut seen = BTreeSet::new();
        let entries = report
            .findings
            .iter()
            .filter(|finding| {
                matches!(finding.status, FindingStatus::Open | FindingStatus::Baselined)
            })
            .filter_map(|finding| {
                let fingerprint = Fingerprint::parse(&finding.fingerprint).ok()?;
                seen.insert(fingerprint.clone()).then(|| BaselineEntry {
                    fingerprint,
                    rule: finding.rule_id.clone(),
                    path: finding.path.clone(),
                })
            })
            .collect();
        Baseline::new(entries)
    }

    /// The baseline file, pretty JSON.
    pub fn to_json(&self) -> Result<String, BaselineError> {
        let file = BaselineFile {
            version: 1,
            generated_by: Some(format!("palisade diffscan {}", env!("CARGO_PKG_VERSION"))),
            entries: self.entries.clone(),
        };
        serde_json::to_string_pretty(&file).map_err(|e| BaselineError::Syntax(e.to_string()))
    }

    pub fn contains(&self, fingerprint: &str) -> bool {
        Fingerprint::parse(fingerprint).is_ok_and(|fingerprint| self.index.contains(&fingerprint))
    }

    pub fn entries(&self) -> &[BaselineEntry] {
        &self.entries
    }
}
