//! Elastic Security alert documents (the `.alerts-security.alerts-*` indices, or a connector's
//! `context.alerts[]`): the alert under `kibana.alert.*`, the source event's ECS fields beside
//! it. Documents come flattened (`"kibana.alert.rule.name": …`, as the fields API and
//! connectors write them), nested (`_source`), or mixed; `json::lookup` reads all three. A
//! search hit (`{"_id", "_source"}`) is read through its `_source`.

use crate::adapters::common;
use crate::error::AdapterError;
use crate::json::{first_text, lookup, text, texts, time_value};
use crate::model::{FindingStatus, Product, Severity};
use crate::normalize::FindingDraft;
use serde_json::Value;

/// The alert document: a search hit's `_source`, or the document itself.
fn document(alert: &Value) -> &Value {
    alert.get("_source").filter(|source| source.is_object()).unwrap_or(alert)
}

pub fn product(alert: &Value) -> Product {
    let alert = document(alert);
    Product {
        name: "Elastic Security".into(),
        vendor: "Elastic".into(),
        version: text(alert, "kibana.version"),
    }
}

pub fn draft(hit: &Value) -> Result<FindingDraft, AdapterError> {
    let alert = document(hit);
    if lookup(alert, "kibana.alert.rule").is_none() && lookup(alert, "kibana.alert.uuid").is_none()
    {
        return Err(AdapterError::UnrecognizedShape {
            expected: "Elastic Security",
            reason: "it has no `kibana.alert.*` fields".into(),
        });
    }
    let word = text(alert, "kibana.alert.severity")
        .ok_or_else(|| AdapterError::missing("kibana.alert.severity"))?;
    let severity = Severity::parse(&word)
        .ok_or_else(|| AdapterError::invalid("kibana.alert.severity", format!("`{word}`")))?;
    let (techniques, tactics) = threat(alert);
    let mut draft = FindingDraft {
        original_uid: first_text(alert, &["kibana.alert.uuid"]).or_else(|| text(hit, "_id")),
        title: text(alert, "kibana.alert.rule.name"),
        description: first_text(alert, &["kibana.alert.reason", "kibana.alert.rule.description"]),
        severity: Some(severity),
        status: text(alert, "kibana.alert.workflow_status").map(|s| workflow_status(&s)),
        techniques,
        tactics,
        ..FindingDraft::default()
    };
    draft.types = texts(alert, "kibana.alert.rule.type");
    draft.types.extend(texts(alert, "event.category"));
    draft.analytic.uid =
        first_text(alert, &["kibana.alert.rule.rule_id", "kibana.alert.rule.uuid"]);
    draft.analytic.name = text(alert, "kibana.alert.rule.name");
    draft.time = lookup(alert, "@timestamp").and_then(time_value);
    draft.first_seen = first_time(alert, &["kibana.alert.original_time", "kibana.alert.start"]);
    draft.last_seen = lookup(alert, "kibana.alert.last_detected").and_then(time_value);
    common::observe_ecs(&mut draft, alert);
    Ok(draft)
}

fn first_time(alert: &Value, paths: &[&str]) -> Option<chrono::DateTime<chrono::Utc>> {
    paths.iter().find_map(|p| lookup(alert, p).and_then(time_value))
}

fn workflow_status(word: &str) -> FindingStatus {
    match word {
        "acknowledged" | "in-progress" => FindingStatus::InProgress,
        "closed" => FindingStatus::Resolved,
        _ => FindingStatus::New,
    }
}

/// `kibana.alert.rule.threat` as nested objects (`_source`) or as flattened id lists.
fn threat(alert: &Value) -> (Vec<String>, Vec<String>) {
    let mut techniques = Vec::new();
    let mut tactics = Vec::new();
    match lookup(alert, "kibana.alert.rule.threat") {
        Some(Value::Array(entries)) if entries.iter().any(Value::is_object) => {
            for entry in entries {
                tactics.extend(texts(entry, "tactic.id"));
                let listed = lookup(entry, "technique").and_then(Value::as_array);
                for technique in listed.into_iter().flatten() {
                    techniques.extend(texts(technique, "id"));
                    techniques.extend(texts(technique, "subtechnique.id"));
                    let subs = lookup(technique, "subtechnique").and_then(Value::as_array);
                    techniques.extend(subs.into_iter().flatten().flat_map(|s| texts(s, "id")));
                }
            }
        }
        _ => {
            tactics = texts(alert, "kibana.alert.rule.threat.tactic.id");
            techniques = texts(alert, "kibana.alert.rule.threat.technique.id");
            techniques.extend(texts(alert, "kibana.alert.rule.threat.technique.subtechnique.id"));
        }
    }
    (techniques, tactics)
}
