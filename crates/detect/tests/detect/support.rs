//! Shared helpers for the integration tests: loading fixtures and normalizing them.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use detect::{NormalizedAlert, SourceKind};
use serde_json::Value;

pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

pub fn text(name: &str) -> String {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// When the test pretends Palisade received the alert.
pub fn received_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()
}

pub fn normalized(source: SourceKind, name: &str) -> NormalizedAlert {
    detect::normalize(source, &fixture(name), received_at()).unwrap()
}

pub fn millis(rfc3339: &str) -> i64 {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().timestamp_millis()
}

/// The observables of an OCSF document as (type_id, value) pairs.
pub fn observables(ocsf: &Value) -> Vec<(i64, String)> {
    ocsf["observables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["type_id"].as_i64().unwrap(), o["value"].as_str().unwrap().to_string()))
        .collect()
}

/// The technique (or sub-technique) and tactic uids of an OCSF document's attacks.
pub fn attacks(ocsf: &Value) -> Vec<(String, String)> {
    ocsf["finding_info"]["attacks"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|a| {
            let technique = a["sub_technique"]["uid"].as_str().or(a["technique"]["uid"].as_str());
            (technique.unwrap().to_string(), a["tactic"]["uid"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

/// A rule around a detection block (indented by four spaces), for flat test events.
pub fn rule_with(detection: &str) -> detect::sigma::SigmaRule {
    let yaml = format!(
        "title: Test rule\nid: 00000000-0000-4000-8000-000000000001\nlogsource:\n    product: test\n\
         detection:\n{detection}\nlevel: high\ntags:\n    - attack.execution\n    - attack.t1059.001\n"
    );
    detect::sigma::SigmaRule::parse(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"))
}

/// Whether the rule built from `detection` matches `event`.
pub fn fires(detection: &str, event: &Value) -> bool {
    let set = detect::sigma::RuleSet::new(vec![rule_with(detection)]);
    !set.evaluate(event).is_empty()
}

pub fn sigmahq(name: &str) -> detect::sigma::SigmaRule {
    detect::sigma::SigmaRule::parse(&text(&format!("sigma/sigmahq/{name}"))).unwrap()
}
