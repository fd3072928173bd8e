//! Every rule of the built-in pack keeps its promises: each positive example produces a finding
//! of that rule and each negative example none, through the same scan a pull request takes.

use diffscan_engine::Engine;
use diffscan_engine::rules::Family;

fn engine() -> Engine {
    Engine::builtin().unwrap_or_else(|error| panic!("the built-in pack must load: {error}"))
}

#[test]
fn every_built_in_rule_fires_on_its_positive_examples_and_not_on_its_negative_ones() {
    let failures = engine().example_failures();
    let listed: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert!(listed.is_empty(), "{} example(s) failed:\n{}", listed.len(), listed.join("\n"));
}

#[test]
fn every_built_in_rule_has_examples_both_ways_and_texts_a_reader_can_act_on() {
    for rule in engine().rules() {
        assert!(!rule.positive_examples().is_empty(), "{} has no positive example", rule.id());
        assert!(!rule.negative_examples().is_empty(), "{} has no negative example", rule.id());
        assert!(rule.remediation().len() > 10, "{} has no real remediation", rule.id());
    }
}

#[test]
fn the_built_in_pack_covers_every_family_the_issue_names() {
    let engine = engine();
    for family in [
        Family::HiddenText,
        Family::PromptInjection,
        Family::CiCd,
        Family::Execution,
        Family::Secrets,
        Family::InjectionSink,
        Family::Integrity,
        Family::Policy,
    ] {
        let count = engine.rules().iter().filter(|rule| rule.family() == family).count();
        assert!(count > 0, "no rule of family {}", family.as_str());
    }
}
