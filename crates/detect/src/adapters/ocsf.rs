//! OCSF Detection Findings taken as they are: the payload must already be class 2004 and pass
//! the schema catalog's checks; it is then read back into a [`Finding`](crate::model::Finding)
//! so that it fingerprints and correlates like any other alert. Nothing is re-mapped.

use crate::catalog::OcsfCatalog;
use crate::error::AdapterError;
use crate::json::{lookup, number, text, texts, time_value};
use crate::model::{Confidence, FindingStatus, ObservableKind, Product, Severity};
use crate::normalize::FindingDraft;
use serde_json::Value;

pub fn product(finding: &Value) -> Product {
    Product {
        name: text(finding, "metadata.product.name").unwrap_or_else(|| "unknown".into()),
        vendor: text(finding, "metadata.product.vendor_name").unwrap_or_else(|| "unknown".into()),
        version: text(finding, "metadata.product.version"),
    }
}

pub fn draft(finding: &Value) -> Result<FindingDraft, AdapterError> {
    let class = number(finding, "class_uid").ok_or_else(|| AdapterError::missing("class_uid"))?;
    if class as i64 != 2004 {
        return Err(AdapterError::UnrecognizedShape {
            expected: "OCSF Detection Finding",
            reason: format!("class_uid is {class}, not 2004"),
        });
    }
    if let Some(catalog) = OcsfCatalog::embedded() {
        let violations = catalog.validate(finding);
        if !violations.is_empty() {
            return Err(AdapterError::invalid("finding", violations.join("; ")));
        }
    }
    let id = |path: &str| number(finding, path).map(|n| n as i64);
    let mut techniques = Vec::new();
    let mut tactics = Vec::new();
    for attack in
        lookup(finding, "finding_info.attacks").and_then(Value::as_array).into_iter().flatten()
    {
        let sub = text(attack, "sub_technique.uid");
        techniques.extend(sub.or_else(|| text(attack, "technique.uid")));
        tactics.extend(text(attack, "tactic.uid"));
    }
    let mut draft = FindingDraft {
        original_uid: text(finding, "metadata.original_event_uid")
            .or_else(|| text(finding, "finding_info.uid")),
        title: text(finding, "finding_info.title").or_else(|| text(finding, "message")),
        description: text(finding, "finding_info.desc"),
        severity: id("severity_id").and_then(Severity::from_ocsf_id),
        status: id("status_id").and_then(FindingStatus::from_ocsf_id),
        confidence: id("confidence_id").and_then(Confidence::from_ocsf_id),
        types: texts(finding, "finding_info.types"),
        techniques,
        tactics,
        ..FindingDraft::default()
    };
    draft.analytic.uid = text(finding, "finding_info.analytic.uid");
    draft.analytic.name = text(finding, "finding_info.analytic.name");
    draft.time = lookup(finding, "time").and_then(time_value);
    draft.first_seen = lookup(finding, "finding_info.first_seen_time").and_then(time_value);
    draft.last_seen = lookup(finding, "finding_info.last_seen_time").and_then(time_value);
    for observable in lookup(finding, "observables").and_then(Value::as_array).into_iter().flatten()
    {
        let name = text(observable, "name").unwrap_or_default();
        let kind =
            number(observable, "type_id").and_then(|t| ObservableKind::from_ocsf(t as i64, &name));
        if let Some(kind) = kind {
            draft.observe(kind, &name, text(observable, "value"));
        }
    }
    for resource in lookup(finding, "resources").and_then(Value::as_array).into_iter().flatten() {
        let kind = text(resource, "type").unwrap_or_else(|| "resource".into());
        draft.resource(&kind, text(resource, "name"), text(resource, "uid"));
    }
    Ok(draft)
}
