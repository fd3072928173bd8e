//! Renders a [`Finding`] as an OCSF 1.8.0 Detection Finding (class 2004, activity Create). Every
//! id goes out with its caption sibling, times as epoch milliseconds; the observables and
//! resources carry their OCSF type ids. The raw payload is not embedded (`raw_data`): the
//! service stores it beside the finding.

use crate::catalog::attack::ATTACK_VERSION;
use crate::model::{Attack, Finding};
use serde_json::{Map, Value, json};

pub const OCSF_VERSION: &str = "1.8.0";
pub const CATEGORY_UID: u32 = 2;
pub const CLASS_UID: u32 = 2004;
const ACTIVITY_CREATE: u32 = 1;

pub fn render(finding: &Finding) -> Value {
    let mut document = json!({
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Detection Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
        "type_name": "Detection Finding: Create",
        "severity_id": finding.severity.ocsf_id(),
        "severity": finding.severity.caption(),
        "status_id": finding.status.ocsf_id(),
        "status": finding.status.caption(),
        "confidence_id": finding.confidence.ocsf_id(),
        "confidence": finding.confidence.caption(),
        "time": finding.time.timestamp_millis(),
        "message": finding.title,
        "is_alert": true,
        "metadata": metadata(finding),
        "finding_info": finding_info(finding),
        "observables": observables(finding),
    });
    if let Some(object) = document.as_object_mut() {
        if !finding.resources.is_empty() {
            object.insert("resources".into(), resources(finding));
        }
        // Technique ids the catalog does not know are kept where OCSF keeps what it cannot map.
        if !finding.unknown_techniques.is_empty() {
            object.insert("unmapped".into(), json!({"attacks": finding.unknown_techniques}));
        }
    }
    document
}

fn metadata(finding: &Finding) -> Value {
    let mut product = Map::new();
    product.insert("name".into(), json!(finding.product.name));
    product.insert("vendor_name".into(), json!(finding.product.vendor));
    if let Some(version) = &finding.product.version {
        product.insert("version".into(), json!(version));
    }
    let mut metadata = Map::new();
    metadata.insert("version".into(), json!(OCSF_VERSION));
    metadata.insert("product".into(), Value::Object(product));
    metadata.insert("log_provider".into(), json!(finding.source.as_str()));
    if let Some(original) = &finding.original_uid {
        metadata.insert("original_event_uid".into(), json!(original));
    }
    Value::Object(metadata)
}

fn finding_info(finding: &Finding) -> Value {
    let mut info = Map::new();
    info.insert("uid".into(), json!(finding.uid));
    info.insert("title".into(), json!(finding.title));
    if let Some(desc) = &finding.description {
        info.insert("desc".into(), json!(desc));
    }
    if !finding.analytic.is_empty() {
        let mut analytic = Map::new();
        analytic.insert("type_id".into(), json!(1));
        analytic.insert("type".into(), json!("Rule"));
        if let Some(uid) = &finding.analytic.uid {
            analytic.insert("uid".into(), json!(uid));
        }
        if let Some(name) = &finding.analytic.name {
            analytic.insert("name".into(), json!(name));
        }
        info.insert("analytic".into(), Value::Object(analytic));
    }
    if !finding.types.is_empty() {
        info.insert("types".into(), json!(finding.types));
    }
    if !finding.attacks.is_empty() {
        info.insert("attacks".into(), finding.attacks.iter().map(attack).collect());
    }
    info.insert("first_seen_time".into(), json!(finding.first_seen.timestamp_millis()));
    info.insert("last_seen_time".into(), json!(finding.last_seen.timestamp_millis()));
    Value::Object(info)
}

fn attack(attack: &Attack) -> Value {
    let mut object = Map::new();
    object.insert("version".into(), json!(ATTACK_VERSION));
    object.insert(
        "technique".into(),
        json!({
            "uid": attack.technique.as_str(),
            "name": attack.technique_name,
            "src_url": format!("https://attack.mitre.org/techniques/{}/", attack.technique),
        }),
    );
    if let Some((id, name)) = &attack.sub_technique {
        object.insert(
            "sub_technique".into(),
            json!({
                "uid": id.as_str(),
                "name": name,
                "src_url": format!(
                    "https://attack.mitre.org/techniques/{}/",
                    id.as_str().replace('.', "/")
                ),
            }),
        );
    }
    if let Some((id, name)) = &attack.tactic {
        object.insert(
            "tactic".into(),
            json!({
                "uid": id, "name": name,
                "src_url": format!("https://attack.mitre.org/tactics/{id}/"),
            }),
        );
    }
    Value::Object(object)
}

fn observables(finding: &Finding) -> Value {
    finding
        .observables
        .iter()
        .map(|o| {
            json!({
                "name": o.name(),
                "type_id": o.kind().ocsf_type_id(),
                "type": o.kind().ocsf_type_caption(),
                "value": o.value(),
            })
        })
        .collect()
}

fn resources(finding: &Finding) -> Value {
    finding
        .resources
        .iter()
        .map(|r| {
            let mut object = Map::new();
            object.insert("type".into(), json!(r.kind));
            if let Some(name) = &r.name {
                object.insert("name".into(), json!(name));
            }
            if let Some(uid) = &r.uid {
                object.insert("uid".into(), json!(uid));
            }
            Value::Object(object)
        })
        .collect()
}
