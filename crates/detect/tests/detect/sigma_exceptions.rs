//! Rule exceptions (known-good activity, written as a Sigma selection) and the alert a match
//! raises.

use crate::support::{normalized, sigmahq, text};
use detect::catalog::OcsfCatalog;
use detect::sigma::{RuleSet, SigmaException, detection_alert, testing};
use detect::{ObservableKind, Severity, SourceKind};
use serde_json::{Value, json};

fn certutil_event() -> Value {
    serde_json::from_str(text("sigma/events.ndjson").lines().next().unwrap()).unwrap()
}

fn certutil_rule_with(exceptions: &[Value]) -> RuleSet {
    let exceptions = exceptions.iter().map(|e| SigmaException::parse(e).unwrap()).collect();
    let rule = sigmahq("proc_creation_win_certutil_download.yml").with_exceptions(exceptions);
    RuleSet::new(vec![rule])
}

#[test]
fn an_exception_for_the_matching_user_silences_the_rule_and_only_for_that_user() {
    let set = certutil_rule_with(&[json!({"User": "corp\\DANA.KIM"})]);
    assert!(set.evaluate(&certutil_event()).is_empty(), "Sigma matching is case-insensitive");
    let mut other = certutil_event();
    other["Event"]["EventData"]["User"] = json!("CORP\\lee.park");
    assert_eq!(set.evaluate(&other).len(), 1);
}

#[test]
fn an_exception_uses_modifiers_wildcards_and_ands_its_fields() {
    // As in Sigma, `\*` would be a literal star; `\d` is a backslash and a `d`.
    let both =
        json!({"Computer|endswith": ".corp.example.com", "CurrentDirectory": "C:\\Users\\dana*"});
    assert!(certutil_rule_with(&[both]).evaluate(&certutil_event()).is_empty());
    let one_of_two = json!({"Computer|endswith": ".corp.example.com", "User": "svc_backup"});
    assert_eq!(certutil_rule_with(&[one_of_two]).evaluate(&certutil_event()).len(), 1);
    let listed = json!({"User": ["svc_backup", "CORP\\dana.*"]});
    assert!(certutil_rule_with(&[listed]).evaluate(&certutil_event()).is_empty());
}

#[test]
fn a_malformed_exception_is_refused_with_a_reason() {
    for bad in [json!([]), json!({}), json!({"User": {"nested": 1}}), json!({"User": []})] {
        let error = SigmaException::parse(&bad).unwrap_err();
        assert!(error.message.contains("exception"), "{bad}: {error}");
    }
    let error = SigmaException::parse(&json!({"User|nosuchmodifier": "x"})).unwrap_err();
    assert!(error.message.contains("not a valid selection"), "{error}");
}

#[test]
fn rule_testing_names_the_exception_that_silenced_a_match() {
    let exceptions = vec![
        SigmaException::parse(&json!({"User": "nobody"})).unwrap(),
        SigmaException::parse(&json!({"Image|endswith": "\\certutil.exe"})).unwrap(),
    ];
    let rule = sigmahq("proc_creation_win_certutil_download.yml").with_exceptions(exceptions);
    let verdict = testing::test_event(&rule, 1, &certutil_event());
    assert!(!verdict.matched);
    assert_eq!(verdict.excepted_by, Some(1));
    assert!(verdict.selections.values().all(|matched| *matched));
}

#[test]
fn a_match_on_a_windows_event_raises_an_alert_with_the_events_indicators() {
    let set = certutil_rule_with(&[]);
    let event = certutil_event();
    let matched = &set.evaluate(&event)[0];
    let alert = detection_alert(
        matched,
        Some("why"),
        "rule-1",
        &event,
        None,
        crate::support::received_at(),
    )
    .unwrap();
    let finding = &alert.finding;
    assert_eq!(finding.source, SourceKind::Palisade);
    assert_eq!(finding.product.name, "Palisade Sigma");
    assert_eq!(finding.severity, Severity::Medium, "the rule's level");
    assert_eq!(finding.analytic.uid.as_deref(), Some("rule-1"));
    assert_eq!(finding.description.as_deref(), Some("why"));
    let values = |kind| finding.observables_of(kind).map(|o| o.value()).collect::<Vec<_>>();
    assert_eq!(values(ObservableKind::Hostname), ["laptop-hr-22.corp.example.com"]);
    assert_eq!(values(ObservableKind::User), ["corp\\dana.kim"]);
    assert!(values(ObservableKind::Process).contains(&"certutil.exe"));
    assert_eq!(finding.time.to_rfc3339(), "2024-06-11T08:42:14.104+00:00");
    assert!(finding.technique_ids().iter().any(|t| t.as_str() == "T1105"));
    let violations = OcsfCatalog::embedded().unwrap().validate(&alert.to_ocsf());
    assert!(violations.is_empty(), "{violations:?}");
}

#[test]
fn a_match_on_an_alert_carries_that_alerts_indicators_and_times() {
    let context = normalized(SourceKind::Wazuh, "alerts/wazuh-4x-sysmon-powershell.json");
    let set = RuleSet::new(vec![sigmahq("proc_creation_win_powershell_base64_encoded_cmd.yml")]);
    let matches = set.evaluate(&context.raw);
    assert_eq!(matches.len(), 1, "the Wazuh alert carries the Sysmon event");
    let alert = detection_alert(
        &matches[0],
        None,
        "rule-2",
        &context.raw,
        Some(&context.finding),
        crate::support::received_at(),
    )
    .unwrap();
    assert_eq!(alert.finding.observables, context.finding.observables);
    assert_eq!(alert.finding.time, context.finding.time);
    assert_eq!(alert.finding.severity, Severity::High);
}
