//! Wazuh alerts. 4.x writes one JSON object per alert (`alerts.json`, the integrator, the
//! indexer's `wazuh-alerts-4.x-*`): `rule` with a numeric `level` 0–15, `groups` and `mitre`,
//! plus `agent`, `manager`, `decoder`, `data`, `location` and `full_log`. 5.x findings follow the
//! Wazuh Common Schema (ECS-based): the rule under `wazuh.rule` with a severity band for its
//! `level`, the agent under `wazuh.agent`, and ECS fields for the rest. The shape decides which.

use crate::adapters::common;
use crate::error::AdapterError;
use crate::json::{first_text, lookup, number, text, texts, time_value};
use crate::model::{FindingStatus, ObservableKind, Product, Severity};
use crate::normalize::FindingDraft;
use serde_json::Value;

pub fn product(alert: &Value) -> Product {
    let version = first_text(alert, &["wazuh.agent.version", "agent.version", "manager.version"]);
    Product { name: "Wazuh".into(), vendor: "Wazuh".into(), version }
}

pub fn draft(alert: &Value) -> Result<FindingDraft, AdapterError> {
    if lookup(alert, "wazuh.rule").is_some() {
        return draft_v5(alert);
    }
    if lookup(alert, "rule").is_none() {
        return Err(AdapterError::UnrecognizedShape {
            expected: "Wazuh",
            reason: "it has neither `rule` (4.x) nor `wazuh.rule` (5.x)".into(),
        });
    }
    draft_v4(alert)
}

/// Wazuh's 0–15 rule levels, banded as its documentation groups them.
pub fn severity_of_level(level: i64) -> Severity {
    match level {
        i64::MIN..=3 => Severity::Informational,
        4..=7 => Severity::Low,
        8..=11 => Severity::Medium,
        12..=14 => Severity::High,
        _ => Severity::Critical,
    }
}

fn draft_v4(alert: &Value) -> Result<FindingDraft, AdapterError> {
    let level = number(alert, "rule.level").ok_or_else(|| AdapterError::missing("rule.level"))?;
    let mut draft = FindingDraft {
        original_uid: text(alert, "id"),
        title: text(alert, "rule.description"),
        description: text(alert, "full_log"),
        severity: Some(severity_of_level(level as i64)),
        status: Some(FindingStatus::New),
        types: texts(alert, "rule.groups"),
        techniques: texts(alert, "rule.mitre.id"),
        tactics: texts(alert, "rule.mitre.tactic"),
        ..FindingDraft::default()
    };
    draft.analytic.uid = text(alert, "rule.id");
    draft.analytic.name = text(alert, "rule.description");
    draft.time = lookup(alert, "timestamp").and_then(time_value);
    draft.first_seen = lookup(alert, "data.win.system.systemTime").and_then(time_value);
    observe_agent(&mut draft, alert, "agent");
    draft.resource("manager", text(alert, "manager.name"), None);
    observe_data(&mut draft, alert);
    Ok(draft)
}

fn draft_v5(alert: &Value) -> Result<FindingDraft, AdapterError> {
    let band =
        text(alert, "wazuh.rule.level").ok_or_else(|| AdapterError::missing("wazuh.rule.level"))?;
    let severity = Severity::parse(&band)
        .or_else(|| band.parse::<i64>().ok().map(severity_of_level))
        .ok_or_else(|| {
            AdapterError::invalid("wazuh.rule.level", format!("`{band}` is no level"))
        })?;
    let mut techniques = texts(alert, "wazuh.rule.mitre.technique.id");
    techniques.extend(texts(alert, "wazuh.rule.mitre.subtechnique.id"));
    techniques.extend(texts(alert, "threat.technique.id"));
    let mut draft = FindingDraft {
        original_uid: first_text(alert, &["wazuh.finding.id", "event.id", "wazuh.event.id"]),
        title: first_text(alert, &["wazuh.rule.title", "rule.name", "message"]),
        description: first_text(alert, &["wazuh.rule.description", "rule.description"]),
        severity: Some(severity),
        status: Some(FindingStatus::New),
        types: texts(alert, "wazuh.rule.tags"),
        techniques,
        tactics: texts(alert, "wazuh.rule.mitre.tactic.name"),
        ..FindingDraft::default()
    };
    draft.types.extend(texts(alert, "event.category"));
    draft.analytic.uid = first_text(alert, &["wazuh.rule.id", "rule.id"]);
    draft.analytic.name = first_text(alert, &["wazuh.rule.title", "rule.name"]);
    draft.time = lookup(alert, "@timestamp").and_then(time_value);
    draft.first_seen = lookup(alert, "event.start").and_then(time_value);
    observe_agent(&mut draft, alert, "wazuh.agent");
    common::observe_ecs(&mut draft, alert);
    Ok(draft)
}

fn observe_agent(draft: &mut FindingDraft, alert: &Value, prefix: &str) {
    let host = first_text(alert, &[&format!("{prefix}.host.hostname"), &format!("{prefix}.name")]);
    draft.observe(ObservableKind::Hostname, "device.hostname", host.clone());
    for ip in texts(alert, &format!("{prefix}.ip")) {
        draft.observe(ObservableKind::Ip, "device.ip", Some(ip));
    }
    for ip in texts(alert, &format!("{prefix}.host.ip")) {
        draft.observe(ObservableKind::Ip, "device.ip", Some(ip));
    }
    draft.resource("host", host, text(alert, &format!("{prefix}.id")));
}

/// The decoded fields of a 4.x alert: network fields under `data`, Windows event data under
/// `data.win.eventdata` (Wazuh lower-cases the first letter of each Windows field name).
fn observe_data(draft: &mut FindingDraft, alert: &Value) {
    let ips = ["data.srcip", "data.dstip", "data.win.eventdata.sourceIp"];
    for (path, name) in ips.iter().zip(["src_endpoint.ip", "dst_endpoint.ip", "src_endpoint.ip"]) {
        draft.observe(ObservableKind::Ip, name, text(alert, path));
    }
    draft.observe(
        ObservableKind::Ip,
        "dst_endpoint.ip",
        text(alert, "data.win.eventdata.destinationIp"),
    );
    for path in ["data.srcuser", "data.dstuser", "data.win.eventdata.user"] {
        draft.observe(ObservableKind::User, "actor.user.name", text(alert, path));
    }
    let target = text(alert, "data.win.eventdata.targetUserName");
    draft.observe(ObservableKind::User, "user.name", target);
    let image =
        first_text(alert, &["data.win.eventdata.image", "data.win.eventdata.newProcessName"]);
    draft.observe(ObservableKind::Process, "process.name", image.map(|i| common::basename(&i)));
    if let Some(hashes) = text(alert, "data.win.eventdata.hashes") {
        common::observe_hash_list(draft, &hashes);
    }
    draft.observe(ObservableKind::FileHash, "file.hashes", text(alert, "syscheck.sha256_after"));
    draft.observe(ObservableKind::FileName, "file.name", text(alert, "syscheck.path"));
    draft.observe(
        ObservableKind::Domain,
        "query.hostname",
        text(alert, "data.win.eventdata.queryName"),
    );
    draft.observe(ObservableKind::Url, "url", text(alert, "data.url"));
}
