//! The products Palisade accepts alerts from, named as the ingestion endpoints and configuration
//! name them.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// Palisade's own documented format (`docs/alert-format.md`).
    Palisade,
    /// Wazuh 4.x `alerts.json` lines and Wazuh 5.x findings (detected by shape).
    Wazuh,
    /// Elastic Security alert documents (`kibana.alert.*`).
    Elastic,
    /// OCSF Detection Findings, taken as they are.
    Ocsf,
    /// Microsoft Sentinel `SecurityAlert` records as an automation or Logic App posts them.
    Sentinel,
    /// Splunk alert-action webhook payloads.
    Splunk,
}

impl SourceKind {
    pub const ALL: [SourceKind; 6] = [
        SourceKind::Palisade,
        SourceKind::Wazuh,
        SourceKind::Elastic,
        SourceKind::Ocsf,
        SourceKind::Sentinel,
        SourceKind::Splunk,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Palisade => "palisade",
            SourceKind::Wazuh => "wazuh",
            SourceKind::Elastic => "elastic",
            SourceKind::Ocsf => "ocsf",
            SourceKind::Sentinel => "sentinel",
            SourceKind::Splunk => "splunk",
        }
    }

    pub fn parse(text: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
