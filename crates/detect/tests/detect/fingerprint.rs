//! Dedup fingerprints and idempotency keys.

use crate::support::{fixture, received_at};
use detect::fingerprint::FingerprintConfig;
use detect::{Fingerprint, FingerprintKey, IdempotencyKey, ObservableKind, SourceKind};
use serde_json::json;

fn fingerprint(
    source: SourceKind,
    payload: &serde_json::Value,
    config: &FingerprintConfig,
) -> Fingerprint {
    Fingerprint::of(&detect::normalize(source, payload, received_at()).unwrap(), config)
}

#[test]
fn a_repeat_of_the_same_alert_later_has_the_same_fingerprint() {
    let first = fixture("alerts/wazuh-4x-sshd-bruteforce.json");
    let mut repeat = first.clone();
    repeat["timestamp"] = json!("2024-05-02T03:52:44.101+0000");
    repeat["id"] = json!("1714621964.911002");
    repeat["rule"]["firedtimes"] = json!(9);
    let config = FingerprintConfig::default();
    assert_eq!(
        fingerprint(SourceKind::Wazuh, &first, &config),
        fingerprint(SourceKind::Wazuh, &repeat, &config)
    );
}

#[test]
fn a_different_attacker_address_gives_a_different_fingerprint() {
    let first = fixture("alerts/wazuh-4x-sshd-bruteforce.json");
    let mut other = first.clone();
    other["data"]["srcip"] = json!("203.0.113.78");
    let config = FingerprintConfig::default();
    assert_ne!(
        fingerprint(SourceKind::Wazuh, &first, &config),
        fingerprint(SourceKind::Wazuh, &other, &config)
    );
}

#[test]
fn observable_order_and_letter_case_do_not_change_the_fingerprint() {
    let first = fixture("alerts/palisade-alert.json");
    let mut shuffled = first.clone();
    let mut list = shuffled["observables"].as_array().unwrap().clone();
    list.reverse();
    list[0]["value"] = json!("CDN-UPDATE.example.org");
    shuffled["observables"] = json!(list);
    let config = FingerprintConfig::default().with_default(vec![
        FingerprintKey::Analytic,
        FingerprintKey::Observable(ObservableKind::Domain),
        FingerprintKey::Observable(ObservableKind::Ip),
    ]);
    assert_eq!(
        fingerprint(SourceKind::Palisade, &first, &config),
        fingerprint(SourceKind::Palisade, &shuffled, &config)
    );
}

#[test]
fn keys_left_out_of_a_sources_configuration_do_not_split_alerts() {
    let first = fixture("alerts/wazuh-4x-sshd-bruteforce.json");
    let mut other_user = first.clone();
    other_user["data"]["srcuser"] = json!("oracle");
    let by_address = FingerprintConfig::default()
        .with_source(SourceKind::Wazuh, FingerprintConfig::parse_keys("analytic, ip").unwrap());
    assert_eq!(
        fingerprint(SourceKind::Wazuh, &first, &by_address),
        fingerprint(SourceKind::Wazuh, &other_user, &by_address)
    );
    let default = FingerprintConfig::default();
    assert_ne!(
        fingerprint(SourceKind::Wazuh, &first, &default),
        fingerprint(SourceKind::Wazuh, &other_user, &default)
    );
}

#[test]
fn the_same_rule_from_two_sources_does_not_share_a_fingerprint() {
    let payload = fixture("alerts/palisade-alert.json");
    let config = FingerprintConfig::default();
    let palisade = fingerprint(SourceKind::Palisade, &payload, &config);
    let mut alert = detect::normalize(SourceKind::Palisade, &payload, received_at()).unwrap();
    alert.finding.source = SourceKind::Splunk;
    assert_ne!(palisade, Fingerprint::of(&alert, &config));
}

#[test]
fn a_fingerprint_round_trips_through_its_text_and_rejects_other_text() {
    let config = FingerprintConfig::default();
    let print = fingerprint(SourceKind::Palisade, &fixture("alerts/palisade-alert.json"), &config);
    assert_eq!(Fingerprint::parse(print.as_str()).unwrap(), print);
    assert!(Fingerprint::parse("abc").is_err());
    assert!(Fingerprint::parse(&"G".repeat(64)).is_err());
}

#[test]
fn an_unknown_fingerprint_key_is_refused() {
    assert_eq!(FingerprintConfig::parse_keys("analytic,colour").unwrap_err().0, "colour");
}

#[test]
fn a_re_sent_alert_has_the_same_idempotency_key_and_an_unnamed_one_has_none() {
    let payload = fixture("alerts/sentinel-security-alert.json");
    let first = detect::normalize(SourceKind::Sentinel, &payload, received_at()).unwrap();
    let again = detect::normalize(SourceKind::Sentinel, &payload, received_at()).unwrap();
    let key = IdempotencyKey::of(&first).unwrap();
    assert_eq!(key.source_id, "5b1f0c3e-7a9d-4e2b-8c6f-1d3a5e7b9c0f");
    assert_eq!(Some(key), IdempotencyKey::of(&again));
    let mut anonymous = fixture("alerts/palisade-alert.json");
    anonymous.as_object_mut().unwrap().remove("source_id");
    let alert = detect::normalize(SourceKind::Palisade, &anonymous, received_at()).unwrap();
    assert_eq!(IdempotencyKey::of(&alert), None);
    assert_eq!(alert.finding.uid.len(), 32, "a payload digest stands in for the missing id");
}
