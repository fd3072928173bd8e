//! Microsoft Sentinel SecurityAlert records and Splunk webhook payloads.

use crate::support::{attacks, millis, normalized, observables, received_at};
use detect::SourceKind;
use serde_json::json;

#[test]
fn a_sentinel_alert_maps_severity_status_confidence_and_times() {
    let ocsf = normalized(SourceKind::Sentinel, "alerts/sentinel-security-alert.json").to_ocsf();
    assert_eq!(ocsf["severity"], "Medium");
    assert_eq!(ocsf["status"], "New");
    assert_eq!(ocsf["confidence"], "High");
    assert_eq!(ocsf["confidence_id"], 3);
    assert_eq!(ocsf["metadata"]["product"]["name"], "Microsoft Defender for Office 365");
    assert_eq!(ocsf["metadata"]["product"]["vendor_name"], "Microsoft");
    let info = &ocsf["finding_info"];
    assert_eq!(info["uid"], "5b1f0c3e-7a9d-4e2b-8c6f-1d3a5e7b9c0f");
    assert_eq!(info["title"], "Suspicious inbox forwarding rule created");
    assert_eq!(info["analytic"]["uid"], "InboxForwardingRule");
    assert_eq!(ocsf["time"], millis("2024-07-03T16:20:44.521Z"));
    assert_eq!(info["first_seen_time"], millis("2024-07-03T16:02:10Z"));
    assert_eq!(info["last_seen_time"], millis("2024-07-03T16:20:44.521Z"));
}

#[test]
fn sentinel_entities_stored_as_json_text_become_observables() {
    let ocsf = normalized(SourceKind::Sentinel, "alerts/sentinel-security-alert.json").to_ocsf();
    let found = observables(&ocsf);
    for expected in [
        (4, "corp\\j.doe"),
        (5, "j.doe@corp.example.com"),
        (2, "185.220.101.45"),
        (1, "ws-sales-11.corp.example.com"),
        (6, "https://outlook.office365.com/owa/?path=/options/inboxrules"),
        (1, "exfil-mail.example.net"),
    ] {
        assert!(found.contains(&(expected.0, expected.1.to_string())), "{expected:?} in {found:?}");
    }
}

#[test]
fn sentinel_techniques_take_the_tactics_listed_beside_them() {
    let ocsf = normalized(SourceKind::Sentinel, "alerts/sentinel-security-alert.json").to_ocsf();
    assert_eq!(
        attacks(&ocsf),
        vec![("T1114".into(), "TA0009".into()), ("T1020".into(), "TA0010".into())]
    );
}

#[test]
fn a_sentinel_export_wrapped_in_value_is_a_batch() {
    let alert = crate::support::fixture("alerts/sentinel-security-alert.json");
    let mut broken = alert.clone();
    broken.as_object_mut().unwrap().remove("SystemAlertId");
    let results = detect::normalize_batch(
        SourceKind::Sentinel,
        &json!({"value": [alert, broken]}),
        received_at(),
    );
    assert!(results[0].is_ok());
    assert_eq!(results[1].as_ref().unwrap_err().code(), "missing_field");
}

#[test]
fn a_splunk_notable_webhook_maps_urgency_rule_and_cim_fields() {
    let ocsf = normalized(SourceKind::Splunk, "alerts/splunk-es-notable-webhook.json").to_ocsf();
    assert_eq!(ocsf["severity"], "High", "urgency wins over the raw severity");
    assert_eq!(ocsf["metadata"]["product"]["name"], "Splunk Enterprise Security");
    assert_eq!(
        ocsf["metadata"]["original_event_uid"],
        "3B9E5A2F-1C4D-4E6F-8A7B-9C0D1E2F3A4B@@notable@@b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6"
    );
    let info = &ocsf["finding_info"];
    assert_eq!(info["title"], "Excessive taskkill on $dest$");
    assert_eq!(info["analytic"]["uid"], "Endpoint - Excessive Usage Of Taskkill - Rule");
    assert_eq!(info["analytic"]["name"], "Excessive Usage Of Taskkill");
    assert_eq!(ocsf["time"], 1_720_094_391_000_i64);
    let found = observables(&ocsf);
    assert!(found.contains(&(1, "ws-eng-31.corp.example.com".into())));
    assert!(found.contains(&(2, "10.40.2.31".into())));
    assert!(found.contains(&(4, "corp\\m.santos".into())));
    assert!(found.contains(&(9, "taskkill.exe".into())));
    assert_eq!(
        attacks(&ocsf),
        vec![("T1489".into(), "TA0040".into()), ("T1562.001".into(), "TA0005".into())]
    );
}

#[test]
fn a_splunk_payload_without_a_result_row_is_refused() {
    let payload = json!({"sid": "x", "search_name": "s"});
    let error = detect::normalize(SourceKind::Splunk, &payload, received_at()).unwrap_err();
    assert_eq!(error.to_string(), "the alert has no `result`");
}

#[test]
fn a_plain_splunk_alert_without_rule_fields_is_named_after_its_search() {
    let payload = json!({
        "sid": "rt_scheduler__admin__search__RMD5aa_at_1720000000_1",
        "search_name": "Failed logins over threshold",
        "app": "search",
        "result": {"_time": "1720000000.250", "src": "198.51.100.30", "user": "root", "count": "57"}
    });
    let alert = detect::normalize(SourceKind::Splunk, &payload, received_at()).unwrap();
    assert_eq!(alert.finding.title, "Failed logins over threshold");
    assert_eq!(alert.finding.product.name, "Splunk");
    assert_eq!(alert.finding.time.timestamp_millis(), 1_720_000_000_250);
}
