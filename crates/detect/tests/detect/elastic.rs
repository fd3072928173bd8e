//! Elastic Security alert documents, nested (`_source`) and flattened (fields API, connectors).

use crate::support::{attacks, millis, normalized, observables, received_at};
use detect::{SourceKind, split_batch};
use serde_json::json;

#[test]
fn a_nested_elastic_alert_maps_rule_severity_and_times() {
    let ocsf = normalized(SourceKind::Elastic, "alerts/elastic-alert-nested.json").to_ocsf();
    assert_eq!(ocsf["severity_id"], 4);
    assert_eq!(ocsf["status"], "New");
    assert_eq!(ocsf["metadata"]["product"]["name"], "Elastic Security");
    assert_eq!(ocsf["metadata"]["product"]["version"], "8.13.4");
    let info = &ocsf["finding_info"];
    assert_eq!(info["uid"], "2f0d9e1a7c4b8e63a5d1f9c7b2e4a6d8c0b3e5f7a9d1c3b5e7f9a1c3d5e7f9b1");
    assert_eq!(info["title"], "Remote File Download via Certutil");
    assert!(info["desc"].as_str().unwrap().starts_with("process event with process certutil.exe"));
    assert_eq!(info["analytic"]["uid"], "1a6b3c2d-4e5f-4a6b-9c8d-7e6f5a4b3c2d");
    assert_eq!(info["types"], json!(["query", "process"]));
    assert_eq!(ocsf["time"], millis("2024-06-11T08:42:19.377Z"));
    assert_eq!(info["first_seen_time"], millis("2024-06-11T08:42:14.106Z"));
}

#[test]
fn elastic_threat_entries_keep_each_technique_with_its_own_tactic() {
    let ocsf = normalized(SourceKind::Elastic, "alerts/elastic-alert-nested.json").to_ocsf();
    assert_eq!(
        attacks(&ocsf),
        vec![("T1105".into(), "TA0011".into()), ("T1140".into(), "TA0005".into())]
    );
}

#[test]
fn ecs_fields_of_the_source_event_become_observables() {
    let ocsf = normalized(SourceKind::Elastic, "alerts/elastic-alert-nested.json").to_ocsf();
    let found = observables(&ocsf);
    for expected in [
        (1, "laptop-hr-22"),
        (2, "10.30.8.22"),
        (2, "fe80::a1b2:c3d4:e5f6:7a8b"),
        (4, "dana.kim"),
        (9, "certutil.exe"),
        (9, "cmd.exe"),
        (8, "e1b6e1c9b2e4f6a9d0c3b5a7e8f1d2c4b6a9e0f3d5c7b8a1e2f4d6c9b0a3e5f7"),
    ] {
        assert!(found.contains(&(expected.0, expected.1.to_string())), "{expected:?} in {found:?}");
    }
    assert_eq!(ocsf["resources"][0]["uid"], "c8f4a6b2-1d3e-4f5a-9b8c-7d6e5f4a3b2c");
}

#[test]
fn a_flattened_elastic_alert_reads_the_same_fields_through_dotted_keys() {
    let ocsf = normalized(SourceKind::Elastic, "alerts/elastic-alert-flattened.json").to_ocsf();
    assert_eq!(ocsf["severity"], "Critical");
    assert_eq!(ocsf["status"], "In Progress");
    assert_eq!(ocsf["finding_info"]["title"], "Multiple Logon Failure Followed by Logon Success");
    assert_eq!(ocsf["finding_info"]["analytic"]["uid"], "4e85dc8a-3e41-40d8-bc28-91af7ac6cf60");
    assert_eq!(
        attacks(&ocsf),
        vec![("T1110".into(), "TA0006".into()), ("T1110.001".into(), "TA0006".into())]
    );
    let found = observables(&ocsf);
    assert!(found.contains(&(2, "198.51.100.9".into())));
    assert!(found.contains(&(4, "administrator".into())));
    assert!(found.contains(&(1, "dc-02".into())));
}

#[test]
fn an_elastic_connector_batch_is_split_into_its_alerts() {
    let one = crate::support::fixture("alerts/elastic-alert-nested.json");
    let two = crate::support::fixture("alerts/elastic-alert-flattened.json");
    let body = json!({"context": {"alerts": [one, {"not": "an alert"}, two]}});
    assert_eq!(split_batch(SourceKind::Elastic, &body).len(), 3);
    let results = detect::normalize_batch(SourceKind::Elastic, &body, received_at());
    let codes: Vec<&str> =
        results.iter().map(|r| r.as_ref().map_or_else(|e| e.code(), |_| "ok")).collect();
    assert_eq!(codes, ["ok", "unrecognized_shape", "ok"]);
}

#[test]
fn an_elastic_alert_with_an_unknown_severity_word_is_refused() {
    let mut alert = crate::support::fixture("alerts/elastic-alert-nested.json");
    alert["kibana"]["alert"]["severity"] = json!("urgent");
    let error = detect::normalize(SourceKind::Elastic, &alert, received_at()).unwrap_err();
    assert_eq!(error.code(), "invalid_field");
    assert!(error.to_string().contains("kibana.alert.severity"));
}

#[test]
fn a_search_hit_is_read_through_its_source_and_a_search_response_is_a_batch() {
    let document = crate::support::fixture("alerts/elastic-alert-nested.json");
    let direct = detect::normalize(SourceKind::Elastic, &document, received_at()).unwrap();
    let hit =
        json!({"_index": ".alerts-security.alerts-default", "_id": "hit-1", "_source": document});
    let through = detect::normalize(SourceKind::Elastic, &hit, received_at()).unwrap();
    assert_eq!(through.finding, direct.finding);
    let response = json!({"took": 3, "hits": {"total": {"value": 2}, "hits": [hit.clone(), hit]}});
    assert_eq!(split_batch(SourceKind::Elastic, &response).len(), 2);
}
