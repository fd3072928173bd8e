//! OCSF Detection Findings taken as they are, Palisade's own format, and every produced finding
//! checked against the OCSF 1.8.0 schema catalog (required attributes and enum values).

use crate::support::{attacks, millis, normalized, observables, received_at};
use detect::catalog::OcsfCatalog;
use detect::{Severity, SourceKind};
use serde_json::json;

const FIXTURES: [(SourceKind, &str); 9] = [
    (SourceKind::Wazuh, "alerts/wazuh-4x-sysmon-powershell.json"),
    (SourceKind::Wazuh, "alerts/wazuh-4x-sshd-bruteforce.json"),
    (SourceKind::Wazuh, "alerts/wazuh-5x-finding.json"),
    (SourceKind::Elastic, "alerts/elastic-alert-nested.json"),
    (SourceKind::Elastic, "alerts/elastic-alert-flattened.json"),
    (SourceKind::Sentinel, "alerts/sentinel-security-alert.json"),
    (SourceKind::Splunk, "alerts/splunk-es-notable-webhook.json"),
    (SourceKind::Ocsf, "alerts/ocsf-detection-finding.json"),
    (SourceKind::Palisade, "alerts/palisade-alert.json"),
];

#[test]
fn every_produced_finding_satisfies_the_ocsf_detection_finding_schema() {
    let catalog = OcsfCatalog::embedded().unwrap();
    assert_eq!((catalog.version.as_str(), catalog.class.uid), ("1.8.0", 2004));
    for (source, name) in FIXTURES {
        let ocsf = normalized(source, name).to_ocsf();
        assert_eq!(catalog.validate(&ocsf), Vec::<String>::new(), "{name}");
        assert_eq!(ocsf["category_uid"].as_u64(), Some(u64::from(catalog.class.category_uid)));
        assert_eq!(ocsf["category_name"], catalog.class.category_name.as_str());
        assert_eq!(ocsf["class_name"], catalog.class.name.as_str());
    }
}

#[test]
fn the_schema_check_names_a_missing_required_attribute_and_a_wrong_enum() {
    let catalog = OcsfCatalog::embedded().unwrap();
    let mut ocsf = normalized(SourceKind::Wazuh, "alerts/wazuh-4x-sshd-bruteforce.json").to_ocsf();
    ocsf["finding_info"].as_object_mut().unwrap().remove("uid");
    ocsf["severity_id"] = json!(9);
    ocsf["observables"][0]["type_id"] = json!(77);
    let violations = catalog.validate(&ocsf);
    assert!(
        violations.contains(&"required attribute finding_info.uid is missing".to_string()),
        "{violations:?}"
    );
    assert!(violations.iter().any(|v| v.starts_with("severity_id = 9")), "{violations:?}");
    assert!(
        violations.iter().any(|v| v.starts_with("observables[0].type_id = 77")),
        "{violations:?}"
    );
}

#[test]
fn severity_captions_agree_with_the_schema_enum() {
    let catalog = OcsfCatalog::embedded().unwrap();
    let allowed = &catalog.class.shape.enums["severity_id"];
    for severity in Severity::ALL {
        assert_eq!(allowed.caption(i64::from(severity.ocsf_id())), Some(severity.caption()));
    }
}

#[test]
fn an_ocsf_finding_is_taken_as_it_is() {
    let alert = normalized(SourceKind::Ocsf, "alerts/ocsf-detection-finding.json");
    let ocsf = alert.to_ocsf();
    assert_eq!(ocsf["severity"], "High");
    assert_eq!(ocsf["confidence"], "Medium");
    assert_eq!(ocsf["time"], 1_722_500_000_123_i64);
    assert_eq!(ocsf["metadata"]["product"]["name"], "CrowdStrike Falcon");
    assert_eq!(ocsf["metadata"]["original_event_uid"], "ldt:4f2e8a1c9b7d4e6f:8590212237");
    assert_eq!(ocsf["finding_info"]["analytic"]["name"], "CredentialTheftMimikatz");
    assert_eq!(ocsf["finding_info"]["first_seen_time"], 1_722_499_990_000_i64);
    assert_eq!(attacks(&ocsf), vec![("T1003.001".into(), "TA0006".into())]);
    assert!(
        observables(&ocsf).contains(&(
            8,
            "61c0810a23580cf492a6ba4f7654566108331e7a4134c968c2d6a05261b2d8a1".into()
        ))
    );
}

#[test]
fn an_ocsf_payload_of_another_class_or_failing_the_schema_is_refused() {
    let mut finding = crate::support::fixture("alerts/ocsf-detection-finding.json");
    finding["class_uid"] = json!(2001);
    let wrong_class = detect::normalize(SourceKind::Ocsf, &finding, received_at()).unwrap_err();
    assert_eq!(wrong_class.code(), "unrecognized_shape");
    finding["class_uid"] = json!(2004);
    finding["metadata"].as_object_mut().unwrap().remove("version");
    let invalid = detect::normalize(SourceKind::Ocsf, &finding, received_at()).unwrap_err();
    assert_eq!(invalid.code(), "invalid_field");
    assert!(invalid.to_string().contains("metadata.version"), "{invalid}");
}

#[test]
fn a_palisade_alert_maps_every_documented_field() {
    let alert = normalized(SourceKind::Palisade, "alerts/palisade-alert.json");
    let ocsf = alert.to_ocsf();
    assert_eq!(ocsf["severity"], "High");
    assert_eq!(ocsf["confidence"], "Medium");
    assert_eq!(ocsf["time"], millis("2024-08-14T21:07:33Z"));
    assert_eq!(ocsf["metadata"]["product"]["name"], "edge-gateway");
    assert_eq!(ocsf["metadata"]["original_event_uid"], "gw-7f3a-000918");
    assert_eq!(ocsf["finding_info"]["analytic"]["name"], "Egress to C2 blocklist");
    assert_eq!(
        attacks(&ocsf),
        vec![("T1071.001".into(), "TA0011".into()), ("T1573".into(), "TA0011".into())]
    );
    let found = observables(&ocsf);
    assert_eq!(found.len(), 4);
    assert!(found.contains(&(2, "45.95.147.236".into())));
    assert_eq!(
        ocsf["observables"].as_array().unwrap().iter().filter(|o| o["name"] == "domain").count(),
        1
    );
    assert_eq!(alert.raw["raw"]["action"], "blocked");
}

#[test]
fn a_palisade_alert_without_time_takes_the_time_it_was_received() {
    let mut payload = crate::support::fixture("alerts/palisade-alert.json");
    payload.as_object_mut().unwrap().remove("time");
    let alert = detect::normalize(SourceKind::Palisade, &payload, received_at()).unwrap();
    assert_eq!(alert.finding.time, received_at());
}

#[test]
fn a_palisade_alert_is_refused_field_by_field() {
    let base = crate::support::fixture("alerts/palisade-alert.json");
    let cases = [
        ("severity", json!("severe"), "invalid_field"),
        ("attacks", json!(["T59"]), "invalid_field"),
        ("observables", json!([{"type": "ip", "value": "not-an-ip"}]), "invalid_field"),
        ("observables", json!([{"type": "wallet", "value": "x"}]), "invalid_field"),
        ("colour", json!("red"), "invalid_field"),
    ];
    for (field, value, code) in cases {
        let mut payload = base.clone();
        payload[field] = value;
        let error = detect::normalize(SourceKind::Palisade, &payload, received_at()).unwrap_err();
        assert_eq!(error.code(), code, "{field}: {error}");
    }
    let mut untitled = base.clone();
    untitled.as_object_mut().unwrap().remove("title");
    let error = detect::normalize(SourceKind::Palisade, &untitled, received_at()).unwrap_err();
    assert_eq!(error, detect::AdapterError::MissingField("title".into()));
}

#[test]
fn an_unknown_technique_is_kept_aside_not_invented() {
    let mut payload = crate::support::fixture("alerts/palisade-alert.json");
    payload["attacks"] = json!(["T1071.001", "T9999"]);
    let alert = detect::normalize(SourceKind::Palisade, &payload, received_at()).unwrap();
    assert_eq!(alert.finding.unknown_techniques, vec!["T9999".to_string()]);
    let ocsf = alert.to_ocsf();
    assert_eq!(attacks(&ocsf), vec![("T1071.001".into(), "TA0011".into())]);
    assert_eq!(ocsf["unmapped"]["attacks"], json!(["T9999"]));
}
