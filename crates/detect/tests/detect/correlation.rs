//! Correlation grouping, fed one alert at a time.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use detect::correlation::{AlertFacts, CorrelationConfig, CorrelationState, LinkKey, LinkKind};
use detect::{ObservableKind, SourceKind};
use serde_json::json;

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 2, 10, 0, 0).unwrap() + TimeDelta::minutes(minute)
}

fn facts(id: &str, minute: i64, keys: &[(LinkKind, &str)]) -> AlertFacts {
    let keys = keys
        .iter()
        .map(|(kind, value)| LinkKey { kind: *kind, value: value.to_string() })
        .collect();
    AlertFacts { alert_id: id.into(), time: at(minute), keys }
}

const IP: LinkKind = LinkKind::Observable(ObservableKind::Ip);

#[test]
fn alerts_sharing_a_host_within_the_window_form_one_group() {
    let config = CorrelationConfig::default();
    let mut state = CorrelationState::default();
    let first = state.observe(&config, facts("a1", 0, &[(LinkKind::Host, "ws-01")]));
    let second =
        state.observe(&config, facts("a2", 10, &[(LinkKind::Host, "ws-01"), (IP, "10.0.0.9")]));
    assert_eq!(first.group_id, second.group_id);
    assert_eq!(second.members, 2);
    assert_eq!(second.shared, vec![LinkKey { kind: LinkKind::Host, value: "ws-01".into() }]);
}

#[test]
fn an_alert_outside_the_window_starts_a_new_group() {
    let config =
        CorrelationConfig { window: TimeDelta::minutes(15), ..CorrelationConfig::default() };
    let mut state = CorrelationState::default();
    let first = state.observe(&config, facts("a1", 0, &[(LinkKind::User, "alice")]));
    let late = state.observe(&config, facts("a2", 16, &[(LinkKind::User, "alice")]));
    assert_ne!(first.group_id, late.group_id);
    assert_eq!(late.members, 1);
}

#[test]
fn alerts_sharing_nothing_stay_apart() {
    let config = CorrelationConfig::default();
    let mut state = CorrelationState::default();
    let one = state.observe(&config, facts("a1", 0, &[(LinkKind::Host, "ws-01")]));
    let two = state.observe(&config, facts("a2", 1, &[(LinkKind::Host, "ws-02")]));
    assert_ne!(one.group_id, two.group_id);
}

#[test]
fn reaching_the_threshold_makes_an_incident_candidate_exactly_once() {
    let config = CorrelationConfig { threshold: 3, ..CorrelationConfig::default() };
    let mut state = CorrelationState::default();
    let technique = (LinkKind::Technique, "T1059.001");
    let decisions: Vec<bool> = (0..5)
        .map(|n| {
            state.observe(&config, facts(&format!("a{n}"), n, &[technique])).incident_candidate
        })
        .collect();
    assert_eq!(decisions, [false, false, true, false, false]);
}

#[test]
fn an_alert_linking_two_groups_merges_them() {
    let config = CorrelationConfig::default();
    let mut state = CorrelationState::default();
    let host = state.observe(&config, facts("a1", 0, &[(LinkKind::Host, "ws-01")]));
    let user = state.observe(&config, facts("a2", 1, &[(LinkKind::User, "bob")]));
    let bridge = state
        .observe(&config, facts("a3", 2, &[(LinkKind::Host, "ws-01"), (LinkKind::User, "bob")]));
    assert_eq!(bridge.group_id, host.group_id);
    assert_eq!(bridge.merged, vec![user.group_id]);
    assert_eq!(bridge.members, 3);
    assert!(bridge.incident_candidate);
    assert_eq!(state.groups().len(), 1);
}

#[test]
fn observing_the_same_alert_twice_counts_it_once() {
    let config = CorrelationConfig { threshold: 2, ..CorrelationConfig::default() };
    let mut state = CorrelationState::default();
    state.observe(&config, facts("a1", 0, &[(IP, "10.0.0.9")]));
    let again = state.observe(&config, facts("a1", 0, &[(IP, "10.0.0.9")]));
    assert_eq!(again.members, 1);
    assert!(!again.incident_candidate);
}

#[test]
fn link_kinds_left_out_of_the_configuration_do_not_link() {
    let config =
        CorrelationConfig { link_by: vec![LinkKind::Host], ..CorrelationConfig::default() };
    let finding = |host: &str, user: &str| {
        let payload = json!({
            "title": "t", "severity": "low", "source": "s",
            "observables": [{"type": "hostname", "value": host}, {"type": "user", "value": user}]
        });
        detect::normalize(SourceKind::Palisade, &payload, at(0)).unwrap().finding
    };
    let mut state = CorrelationState::default();
    let one = state.observe(&config, AlertFacts::of("a1", &finding("ws-01", "carol"), &config));
    let two = state.observe(&config, AlertFacts::of("a2", &finding("ws-02", "carol"), &config));
    assert_ne!(one.group_id, two.group_id, "the shared user is not a link here");
}

#[test]
fn expired_groups_are_dropped_and_the_state_survives_serialization() {
    let config =
        CorrelationConfig { window: TimeDelta::minutes(10), ..CorrelationConfig::default() };
    let mut state = CorrelationState::default();
    let old = state.observe(&config, facts("a1", 0, &[(LinkKind::Host, "ws-01")]));
    let fresh = state.observe(&config, facts("a2", 30, &[(LinkKind::Host, "ws-09")]));
    let stored = serde_json::to_string(&state).unwrap();
    let mut restored: CorrelationState = serde_json::from_str(&stored).unwrap();
    assert_eq!(restored, state);
    assert_eq!(restored.expire(&config, at(35)), vec![old.group_id]);
    assert!(restored.group(fresh.group_id).is_some());
    let next = restored.observe(&config, facts("a3", 36, &[(LinkKind::Host, "ws-09")]));
    assert_eq!(next.group_id, fresh.group_id);
}
