//! Splunk's webhook alert action: `sid`, `search_name`, `app`, `owner`, `results_link` and the
//! first `result` row of the triggering search. Row fields follow the Common Information Model
//! (`src`, `dest`, `user`, `process`, `file_hash`, `url`) and, for Enterprise Security
//! notables, `rule_name`, `urgency`, `event_id` and `annotations.mitre_attack`. Every row value
//! is a string or a multivalue list.

use crate::error::AdapterError;
use crate::json::{first_text, lookup, text, texts, time_value};
use crate::model::{FindingStatus, ObservableKind, Product, Severity};
use crate::normalize::FindingDraft;
use serde_json::Value;

pub fn product(payload: &Value) -> Product {
    let enterprise_security =
        text(payload, "app").is_some_and(|a| a.contains("SplunkEnterpriseSecurity"));
    let name = if enterprise_security { "Splunk Enterprise Security" } else { "Splunk" };
    Product { name: name.into(), vendor: "Splunk".into(), version: None }
}

pub fn draft(payload: &Value) -> Result<FindingDraft, AdapterError> {
    let result = lookup(payload, "result").ok_or_else(|| AdapterError::missing("result"))?;
    let sid = text(payload, "sid").ok_or_else(|| AdapterError::missing("sid"))?;
    let severity = first_text(result, &["urgency", "severity"]).map(|w| severity_of(&w));
    let mut techniques = texts(result, "annotations.mitre_attack");
    techniques.extend(texts(result, "annotations.mitre_attack.mitre_technique_id"));
    techniques.extend(texts(result, "mitre_technique_id"));
    let mut draft = FindingDraft {
        original_uid: Some(text(result, "event_id").unwrap_or(sid)),
        title: first_text(result, &["rule_title", "rule_name", "signature"])
            .or_else(|| text(payload, "search_name")),
        description: first_text(result, &["rule_description", "description", "_raw"]),
        severity,
        status: Some(FindingStatus::New),
        techniques,
        tactics: texts(result, "annotations.mitre_attack.mitre_tactic"),
        ..FindingDraft::default()
    };
    draft.analytic.uid = text(payload, "search_name");
    draft.analytic.name =
        first_text(result, &["rule_name"]).or_else(|| text(payload, "search_name"));
    draft.types = texts(result, "security_domain");
    draft.time = lookup(result, "_time").and_then(time_value);
    observe(&mut draft, result);
    Ok(draft)
}

/// ES urgency and severity words, or the numeric alert severity (1 debug … 6 fatal).
fn severity_of(word: &str) -> Severity {
    match word.trim() {
        "1" | "2" => Severity::Informational,
        "3" => Severity::Low,
        "4" => Severity::Medium,
        "5" => Severity::High,
        "6" => Severity::Critical,
        other => Severity::parse(other).unwrap_or(Severity::Unknown),
    }
}

/// CIM fields hold addresses or names (`src` may be either), so each is tried as an IP first.
fn observe(draft: &mut FindingDraft, result: &Value) {
    for (path, name) in [("src", "src_endpoint"), ("dest", "dst_endpoint")] {
        for value in texts(result, path) {
            if value.parse::<std::net::IpAddr>().is_ok() {
                draft.observe(ObservableKind::Ip, &format!("{name}.ip"), Some(value));
            } else {
                draft.observe(ObservableKind::Hostname, &format!("{name}.hostname"), Some(value));
            }
        }
    }
    for (path, name) in [("src_ip", "src_endpoint.ip"), ("dest_ip", "dst_endpoint.ip")] {
        draft.observe(ObservableKind::Ip, name, text(result, path));
    }
    for value in texts(result, "user").into_iter().chain(texts(result, "src_user")) {
        draft.observe(ObservableKind::User, "actor.user.name", Some(value));
    }
    for value in texts(result, "file_hash").into_iter().chain(texts(result, "process_hash")) {
        draft.observe(ObservableKind::FileHash, "file.hashes", Some(value));
    }
    draft.observe(ObservableKind::Process, "process.name", first_text(result, &["process_name"]));
    draft.observe(ObservableKind::FileName, "file.name", text(result, "file_name"));
    draft.observe(ObservableKind::Url, "url.url_string", text(result, "url"));
    draft.observe(ObservableKind::Domain, "query.hostname", text(result, "query"));
    draft.observe(ObservableKind::Email, "email.from", text(result, "src_user_email"));
    draft.resource("host", text(result, "dest").or_else(|| text(result, "host")), None);
}
