//! Wazuh 4.x alerts and Wazuh 5.x findings, normalized to OCSF and checked field by field.

use crate::support::{attacks, millis, normalized, observables, received_at};
use detect::{AdapterError, Severity, SourceKind};
use serde_json::json;

#[test]
fn a_sysmon_powershell_alert_becomes_a_high_detection_finding() {
    let alert = normalized(SourceKind::Wazuh, "alerts/wazuh-4x-sysmon-powershell.json");
    let ocsf = alert.to_ocsf();
    assert_eq!(ocsf["class_uid"], 2004);
    assert_eq!(ocsf["type_uid"], 200401);
    assert_eq!(ocsf["severity_id"], 4);
    assert_eq!(ocsf["severity"], "High");
    assert_eq!(ocsf["status_id"], 1);
    assert_eq!(ocsf["time"], millis("2024-05-02T10:15:31.482Z"));
    assert_eq!(ocsf["metadata"]["product"]["name"], "Wazuh");
    assert_eq!(ocsf["metadata"]["original_event_uid"], "1714644931.2418823");
    let info = &ocsf["finding_info"];
    assert_eq!(info["uid"], "1714644931.2418823");
    assert_eq!(info["title"], "Powershell process spawned by Word with an encoded command line");
    assert_eq!(info["analytic"]["uid"], "92057");
    assert_eq!(info["analytic"]["type_id"], 1);
    assert_eq!(
        info["types"],
        json!(["windows", "sysmon", "sysmon_eid1_detections", "windows_sysmon"])
    );
    assert_eq!(info["first_seen_time"], millis("2024-05-02T10:15:29.906Z"));
    assert_eq!(info["last_seen_time"], millis("2024-05-02T10:15:31.482Z"));
}

#[test]
fn wazuh_mitre_ids_resolve_to_attack_techniques_under_the_reported_tactic() {
    let ocsf = normalized(SourceKind::Wazuh, "alerts/wazuh-4x-sysmon-powershell.json").to_ocsf();
    assert_eq!(
        attacks(&ocsf),
        vec![("T1059.001".into(), "TA0002".into()), ("T1204.002".into(), "TA0002".into())]
    );
    let first = &ocsf["finding_info"]["attacks"][0];
    assert_eq!(first["technique"]["uid"], "T1059");
    assert_eq!(first["technique"]["name"], "Command and Scripting Interpreter");
    assert_eq!(first["sub_technique"]["name"], "PowerShell");
    assert_eq!(first["tactic"]["name"], "Execution");
}

#[test]
fn wazuh_windows_event_data_yields_host_user_process_and_hash_observables() {
    let ocsf = normalized(SourceKind::Wazuh, "alerts/wazuh-4x-sysmon-powershell.json").to_ocsf();
    let found = observables(&ocsf);
    for expected in [
        (1, "ws-fin-07"),
        (2, "10.20.4.17"),
        (4, "corp\\\\alice.martin"),
        (9, "powershell.exe"),
        (8, "de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c"),
        (8, "7353f60b1739074eb17c5f4dddefe239"),
    ] {
        assert!(found.contains(&(expected.0, expected.1.to_string())), "{expected:?} in {found:?}");
    }
    assert!(
        !found.iter().any(|(_, v)| v == "741776aaccfc5b71ff59832dcdcace0f"),
        "imphash is no observable"
    );
    assert_eq!(ocsf["resources"][0]["name"], "WS-FIN-07");
    assert_eq!(ocsf["resources"][0]["uid"], "007");
}

#[test]
fn wazuh_rule_level_12_maps_to_high_severity() {
    assert_eq!(detect::adapters::wazuh::severity_of_level(12), Severity::High);
}

#[test]
fn wazuh_levels_band_from_informational_to_critical() {
    let bands: Vec<Severity> = [0, 3, 4, 7, 8, 11, 14, 15]
        .iter()
        .map(|l| detect::adapters::wazuh::severity_of_level(*l))
        .collect();
    assert_eq!(
        bands,
        [
            Severity::Informational,
            Severity::Informational,
            Severity::Low,
            Severity::Low,
            Severity::Medium,
            Severity::Medium,
            Severity::High,
            Severity::Critical
        ]
    );
}

#[test]
fn an_sshd_brute_force_alert_names_the_attacker_address_and_the_tried_user() {
    let ocsf = normalized(SourceKind::Wazuh, "alerts/wazuh-4x-sshd-bruteforce.json").to_ocsf();
    assert_eq!(ocsf["severity"], "Medium");
    assert_eq!(
        ocsf["finding_info"]["desc"],
        "May  2 03:41:05 bastion-02 sshd[28873]: Invalid user admin from 203.0.113.77 port 51238"
    );
    let found = observables(&ocsf);
    assert!(found.contains(&(2, "203.0.113.77".into())));
    assert!(found.contains(&(4, "admin".into())));
    assert_eq!(attacks(&ocsf), vec![("T1110".into(), "TA0006".into())]);
}

#[test]
fn a_wazuh_5_finding_reads_its_severity_band_rule_and_subtechnique() {
    let alert = normalized(SourceKind::Wazuh, "alerts/wazuh-5x-finding.json");
    let ocsf = alert.to_ocsf();
    assert_eq!(ocsf["severity"], "Critical");
    assert_eq!(ocsf["finding_info"]["title"], "LSASS dump via comsvcs.dll MiniDump");
    assert_eq!(ocsf["finding_info"]["analytic"]["uid"], "b2a4c6e8-1f3d-4a5b-8c7d-9e0f1a2b3c4d");
    assert_eq!(ocsf["metadata"]["original_event_uid"], "0f5e3c2a-8d41-4b7e-9a51-3c2f1e7d9b40");
    assert_eq!(ocsf["metadata"]["product"]["version"], "v5.0.0");
    assert_eq!(ocsf["time"], millis("2025-11-18T14:02:11.734Z"));
    assert_eq!(ocsf["finding_info"]["first_seen_time"], millis("2025-11-18T14:02:09.118Z"));
    let ids: Vec<String> = attacks(&ocsf).into_iter().map(|(t, _)| t).collect();
    assert!(ids.contains(&"T1003.001".to_string()), "{ids:?}");
    let found = observables(&ocsf);
    assert!(found.contains(&(1, "srv-dc-01".into())));
    assert!(found.contains(&(2, "10.10.0.5".into())));
    assert!(found.contains(&(4, "svc-backup".into())));
    assert!(found.contains(&(9, "rundll32.exe".into())));
}

#[test]
fn a_wazuh_alert_without_a_level_is_refused_with_a_missing_field_code() {
    let mut payload = crate::support::fixture("alerts/wazuh-4x-sshd-bruteforce.json");
    payload["rule"].as_object_mut().unwrap().remove("level");
    let error = detect::normalize(SourceKind::Wazuh, &payload, received_at()).unwrap_err();
    assert_eq!(error, AdapterError::MissingField("rule.level".into()));
    assert_eq!(error.code(), "missing_field");
}

#[test]
fn a_payload_that_is_not_wazuh_is_refused_as_an_unrecognized_shape() {
    let error =
        detect::normalize(SourceKind::Wazuh, &json!({"alert": "x"}), received_at()).unwrap_err();
    assert_eq!(error.code(), "unrecognized_shape");
}
