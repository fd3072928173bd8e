//! The small parsers every adapter relies on: timestamps, observables, technique ids, and field
//! lookup across flattened and nested payloads.

use detect::catalog::{AttackCatalog, TechniqueId};
use detect::json::time_text;
use detect::json::{lookup, texts};
use detect::{Observable, ObservableKind};
use serde_json::json;

fn millis(text: &str) -> Option<i64> {
    time_text(text).map(|t| t.timestamp_millis())
}

#[test]
fn timestamps_in_every_source_convention_read_as_the_same_instant() {
    let expected = Some(1_714_644_931_482);
    assert_eq!(millis("2024-05-02T10:15:31.482Z"), expected);
    assert_eq!(millis("2024-05-02T10:15:31.482+0000"), expected, "Wazuh writes +0000");
    assert_eq!(millis("2024-05-02T12:15:31.482+02:00"), expected);
    assert_eq!(millis("2024-05-02T10:15:31.4820000Z"), expected, "Sentinel writes 7 digits");
    assert_eq!(millis("1714644931.482"), expected, "Splunk writes epoch seconds");
    assert_eq!(millis("1714644931482"), expected, "OCSF writes epoch milliseconds");
    assert_eq!(millis("2024-05-02 10:15:31.482"), expected, "Sysmon's UtcTime has no zone");
    assert_eq!(millis("yesterday"), None);
}

#[test]
fn observables_are_normalized_and_placeholders_are_not_observables() {
    let ip = Observable::new(ObservableKind::Ip, "src_endpoint.ip", " ::ffff:10.0.0.5 ").unwrap();
    assert_eq!(ip.value(), "10.0.0.5");
    assert_eq!(
        Observable::new(ObservableKind::Hostname, "h", "WS-01.Corp.Example.").unwrap().value(),
        "ws-01.corp.example"
    );
    assert_eq!(
        Observable::new(ObservableKind::FileHash, "h", "SHA256=ABCDEF01").unwrap().value(),
        "abcdef01"
    );
    assert!(Observable::new(ObservableKind::Ip, "ip", "-").is_none());
    assert!(Observable::new(ObservableKind::Ip, "ip", "10.0.0.256").is_none());
    assert!(Observable::new(ObservableKind::FileHash, "h", "not-hex").is_none());
    assert_eq!(ObservableKind::parse("sha256"), Some(ObservableKind::FileHash));
    assert_eq!(ObservableKind::Domain.ocsf_type_id(), 1);
}

#[test]
fn technique_ids_parse_in_attack_and_sigma_tag_forms_only() {
    assert_eq!(TechniqueId::parse("attack.t1059.001").unwrap().as_str(), "T1059.001");
    assert_eq!(TechniqueId::parse("T1059.001").unwrap().parent().unwrap().as_str(), "T1059");
    for bad in ["T105", "T1059.1", "attack.execution", "1059", "T1059.0011"] {
        assert!(TechniqueId::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_attack_catalog_knows_techniques_tactics_and_deprecations() {
    let catalog = AttackCatalog::embedded();
    assert!(catalog.technique_count() > 800, "{}", catalog.technique_count());
    assert_eq!(catalog.tactics().len(), 14);
    let powershell = catalog.technique(&TechniqueId::parse("T1059.001").unwrap()).unwrap();
    assert_eq!(
        (powershell.name.as_str(), powershell.tactics.as_slice()),
        ("PowerShell", &["execution".to_string()][..])
    );
    for name in ["Defense Evasion", "defense-evasion", "attack.defense_evasion", "TA0005"] {
        assert_eq!(catalog.tactic(name).unwrap().id, "TA0005", "{name}");
    }
}

#[test]
fn lookup_finds_a_path_flattened_nested_or_mixed() {
    let flat = json!({"kibana.alert.rule.name": "a"});
    let nested = json!({"kibana": {"alert": {"rule": {"name": "b"}}}});
    let mixed = json!({"kibana.alert": {"rule.name": "c"}});
    assert_eq!(lookup(&flat, "kibana.alert.rule.name"), Some(&json!("a")));
    assert_eq!(lookup(&nested, "kibana.alert.rule.name"), Some(&json!("b")));
    assert_eq!(lookup(&mixed, "kibana.alert.rule.name"), Some(&json!("c")));
    assert_eq!(lookup(&nested, "kibana.alert.rule.id"), None);
    assert_eq!(texts(&json!({"ip": ["10.0.0.1", 7, {"x": 1}]}), "ip"), ["10.0.0.1", "7"]);
}

#[test]
fn a_tactic_is_found_whatever_separates_its_words() {
    let catalog = AttackCatalog::embedded();
    for name in
        ["Initial Access", "initial-access", "attack.initial_access", "InitialAccess", "TA0001"]
    {
        assert_eq!(catalog.tactic(name).map(|t| t.id.as_str()), Some("TA0001"), "{name}");
    }
    assert!(catalog.tactic("InitialAccessX").is_none());
}
