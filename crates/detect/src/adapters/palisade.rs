//! Palisade's own alert format (documented in `docs/alert-format.md`) for sources without an
//! adapter of their own: a script, an EDR gateway, another Palisade. It is strict — unknown
//! fields, unknown severities and observable types, malformed technique ids are refused — because
//! its senders are written against the documentation, and a typo should fail loudly.

use crate::catalog::TechniqueId;
use crate::error::AdapterError;
use crate::json::time_value;
use crate::model::{Confidence, FindingStatus, ObservableKind, Product, Severity};
use crate::normalize::FindingDraft;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Alert {
    title: String,
    severity: String,
    source: String,
    source_id: Option<String>,
    time: Option<Value>,
    description: Option<String>,
    confidence: Option<String>,
    rule: Option<Rule>,
    #[serde(default)]
    observables: Vec<AlertObservable>,
    #[serde(default)]
    attacks: Vec<String>,
    /// The upstream's original event, verbatim (the service stores the whole alert as raw).
    raw: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rule {
    id: Option<String>,
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlertObservable {
    #[serde(rename = "type")]
    kind: String,
    value: String,
    name: Option<String>,
}

pub fn product(alert: &Value) -> Product {
    let source = crate::json::text(alert, "source").unwrap_or_else(|| "unknown".into());
    Product { name: source, vendor: "Palisade".into(), version: None }
}

pub fn draft(payload: &Value) -> Result<FindingDraft, AdapterError> {
    let alert: Alert = serde_json::from_value(payload.clone()).map_err(|e| refusal(&e))?;
    if alert.title.trim().is_empty() {
        return Err(AdapterError::invalid("title", "it is empty"));
    }
    if alert.source.trim().is_empty() {
        return Err(AdapterError::invalid("source", "it is empty"));
    }
    let severity = Severity::parse(&alert.severity).ok_or_else(|| {
        AdapterError::invalid("severity", format!("`{}` is not a severity", alert.severity))
    })?;
    let confidence = match &alert.confidence {
        Some(word) => Some(Confidence::parse(word).ok_or_else(|| {
            AdapterError::invalid("confidence", format!("`{word}` is not low, medium or high"))
        })?),
        None => None,
    };
    let time = match &alert.time {
        Some(value) => Some(time_value(value).ok_or_else(|| {
            AdapterError::invalid("time", format!("{value} is not an RFC 3339 time"))
        })?),
        None => None,
    };
    if alert.raw.as_ref().is_some_and(|raw| !(raw.is_object() || raw.is_string())) {
        return Err(AdapterError::invalid("raw", "it must be a JSON object or a string"));
    }
    for (index, id) in alert.attacks.iter().enumerate() {
        TechniqueId::parse(id)
            .map_err(|e| AdapterError::invalid(&format!("attacks[{index}]"), e.to_string()))?;
    }
    let mut draft = FindingDraft {
        original_uid: alert.source_id.filter(|s| !s.trim().is_empty()),
        title: Some(alert.title.clone()),
        description: alert.description,
        severity: Some(severity),
        status: Some(FindingStatus::New),
        confidence,
        time,
        techniques: alert.attacks,
        ..FindingDraft::default()
    };
    if let Some(rule) = alert.rule {
        draft.analytic.uid = rule.id;
        draft.analytic.name = rule.name;
    }
    for (index, observable) in alert.observables.iter().enumerate() {
        let field = format!("observables[{index}]");
        let kind = ObservableKind::parse(&observable.kind).ok_or_else(|| {
            AdapterError::invalid(
                &field,
                format!("`{}` is not an observable type", observable.kind),
            )
        })?;
        let name = observable.name.clone().unwrap_or_else(|| kind.as_str().to_string());
        let before = draft.observables.len();
        draft.observe(kind, &name, Some(observable.value.clone()));
        if draft.observables.len() == before {
            let reason = format!("`{}` is not a valid {kind}", observable.value);
            return Err(AdapterError::invalid(&field, reason));
        }
    }
    Ok(draft)
}

fn refusal(error: &serde_json::Error) -> AdapterError {
    let message = error.to_string();
    match message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        Some(field) => AdapterError::missing(field),
        None => AdapterError::invalid("alert", message),
    }
}
