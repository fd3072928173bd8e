//! The three graded values every alert carries — severity, status and confidence — as closed
//! enums with their OCSF ids and captions, and the parsing of the words sources use for them.
//! Mapping a source's own scale (a Wazuh level, a Sentinel severity) onto these lives with that
//! source's adapter; this module only knows the OCSF side.

use serde::{Deserialize, Serialize};

/// OCSF `severity_id` (the Detection Finding's urgency as reported by the source).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Unknown,
    Informational,
    Low,
    Medium,
    High,
    Critical,
    Fatal,
}

impl Severity {
    pub const ALL: [Severity; 7] = [
        Severity::Unknown,
        Severity::Informational,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
        Severity::Fatal,
    ];

    pub fn ocsf_id(self) -> u8 {
        match self {
            Severity::Unknown => 0,
            Severity::Informational => 1,
            Severity::Low => 2,
            Severity::Medium => 3,
            Severity::High => 4,
            Severity::Critical => 5,
            Severity::Fatal => 6,
        }
    }

    pub fn caption(self) -> &'static str {
        match self {
            Severity::Unknown => "Unknown",
            Severity::Informational => "Informational",
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
            Severity::Critical => "Critical",
            Severity::Fatal => "Fatal",
        }
    }

    pub fn from_ocsf_id(id: i64) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| i64::from(s.ocsf_id()) == id)
    }

    /// Reads the words products use, in any case: `informational`/`info`, `low`, `medium`/
    /// `moderate`, `high`, `critical`, `fatal`, `unknown`.
    pub fn parse(text: &str) -> Option<Severity> {
        let word = text.trim().to_ascii_lowercase();
        let severity = match word.as_str() {
            "unknown" => Severity::Unknown,
            "informational" | "information" | "info" => Severity::Informational,
            "low" => Severity::Low,
            "medium" | "moderate" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            "fatal" => Severity::Fatal,
            _ => return None,
        };
        Some(severity)
    }
}

/// OCSF Finding `status_id`: where the finding stands in review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingStatus {
    New,
    InProgress,
    Suppressed,
    Resolved,
    Archived,
}

impl FindingStatus {
    pub fn ocsf_id(self) -> u8 {
        match self {
            FindingStatus::New => 1,
            FindingStatus::InProgress => 2,
            FindingStatus::Suppressed => 3,
            FindingStatus::Resolved => 4,
            FindingStatus::Archived => 5,
        }
    }

    pub fn caption(self) -> &'static str {
        match self {
            FindingStatus::New => "New",
            FindingStatus::InProgress => "In Progress",
            FindingStatus::Suppressed => "Suppressed",
            FindingStatus::Resolved => "Resolved",
            FindingStatus::Archived => "Archived",
        }
    }

    pub fn from_ocsf_id(id: i64) -> Option<FindingStatus> {
        [
            FindingStatus::New,
            FindingStatus::InProgress,
            FindingStatus::Suppressed,
            FindingStatus::Resolved,
            FindingStatus::Archived,
        ]
        .into_iter()
        .find(|s| i64::from(s.ocsf_id()) == id)
    }
}

/// OCSF `confidence_id`: how sure the source is that the finding is real.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Unknown,
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn ocsf_id(self) -> u8 {
        match self {
            Confidence::Unknown => 0,
            Confidence::Low => 1,
            Confidence::Medium => 2,
            Confidence::High => 3,
        }
    }

    pub fn caption(self) -> &'static str {
        match self {
            Confidence::Unknown => "Unknown",
            Confidence::Low => "Low",
            Confidence::Medium => "Medium",
            Confidence::High => "High",
        }
    }

    pub fn from_ocsf_id(id: i64) -> Option<Confidence> {
        [Confidence::Unknown, Confidence::Low, Confidence::Medium, Confidence::High]
            .into_iter()
            .find(|c| i64::from(c.ocsf_id()) == id)
    }

    pub fn parse(text: &str) -> Option<Confidence> {
        match text.trim().to_ascii_lowercase().as_str() {
            "unknown" => Some(Confidence::Unknown),
            "low" => Some(Confidence::Low),
            "medium" | "moderate" => Some(Confidence::Medium),
            "high" => Some(Confidence::High),
            _ => None,
        }
    }

    /// A 0–100 score (Elastic risk score, Sentinel confidence score) read as a band.
    pub fn from_score(score: f64) -> Confidence {
        match score {
            s if s >= 75.0 => Confidence::High,
            s if s >= 40.0 => Confidence::Medium,
            s if s >= 0.0 => Confidence::Low,
            _ => Confidence::Unknown,
        }
    }
}
