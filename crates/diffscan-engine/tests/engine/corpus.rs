//! The labelled corpus under `tests/corpus/`: each `NAME.diff` has a sidecar `NAME.yaml` saying
//! what kind of change it is (malicious, benign, or a false-positive trap), which rules must
//! fire, which must not, and what the decision must be; `NAME.policy.yaml`, when present, is the
//! policy it is scanned under (the default policy otherwise).
//!
//! The test fails on any expected rule that does not fire and on any blocking finding that the
//! sidecar does not expect, so a rule that goes deaf or noisy is caught.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use diffscan_engine::{Decision, Engine, Policy, Report};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sidecar {
    kind: Kind,
    #[serde(default)]
    expect: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    decision: Option<Decision>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Malicious,
    Benign,
    Trap,
}

struct Case {
    name: String,
    diff: Vec<u8>,
    sidecar: Sidecar,
    policy: Policy,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn load_cases() -> Vec<Case> {
    let mut paths: Vec<PathBuf> = fs::read_dir(corpus_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "diff"))
        .collect();
    paths.sort();
    paths.iter().map(|path| load_case(path)).collect()
}

fn load_case(diff_path: &Path) -> Case {
    let name = diff_path.file_stem().unwrap().to_string_lossy().into_owned();
    let sidecar_text = fs::read_to_string(diff_path.with_extension("yaml"))
        .unwrap_or_else(|e| panic!("{name}: no sidecar: {e}"));
    let sidecar: Sidecar = serde_saphyr::from_str(&sidecar_text)
        .unwrap_or_else(|e| panic!("{name}: sidecar does not parse: {e}"));
    let policy_path = corpus_dir().join(format!("{name}.policy.yaml"));
    let policy = match fs::read_to_string(&policy_path) {
        Ok(text) => Policy::parse(&text).unwrap_or_else(|e| panic!("{name}: policy: {e}")),
        Err(_) => Policy::default(),
    };
    Case { diff: fs::read(diff_path).unwrap(), name, sidecar, policy }
}

/// What is wrong with the report of one case, as sentences.
fn mismatches(case: &Case, report: &Report) -> Vec<String> {
    let fired = |id: &str| report.findings.iter().any(|finding| finding.rule_id == id);
    let mut wrong = Vec::new();
    for id in &case.sidecar.expect {
        if !fired(id) {
            wrong.push(format!("{}: expected {id} did not fire", case.name));
        }
    }
    for id in &case.sidecar.absent {
        if fired(id) {
            wrong.push(format!("{}: {id} fired although the case says it must not", case.name));
        }
    }
    for finding in report.findings.iter().filter(|finding| finding.blocking) {
        if !case.sidecar.expect.contains(&finding.rule_id) {
            let place = finding.path.as_deref().unwrap_or("-");
            wrong
                .push(format!("{}: unexpected blocking {} at {place}", case.name, finding.rule_id));
        }
    }
    if let Some(decision) = case.sidecar.decision
        && decision != report.decision
    {
        let got = report.decision.as_str();
        wrong.push(format!("{}: decision {got}, expected {}", case.name, decision.as_str()));
    }
    wrong
}

#[test]
fn every_corpus_diff_gets_the_findings_and_decision_its_sidecar_expects() {
    let engine = Engine::builtin().unwrap();
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let cases = load_cases();
    let wrong: Vec<String> = cases
        .iter()
        .flat_map(|case| mismatches(case, &engine.scan(&case.diff, &case.policy, None, today)))
        .collect();
    assert!(wrong.is_empty(), "{} mismatch(es):\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn the_corpus_holds_at_least_sixty_labelled_diffs_of_every_kind() {
    let cases = load_cases();
    assert!(cases.len() >= 60, "only {} corpus diffs", cases.len());
    for kind in [Kind::Malicious, Kind::Benign, Kind::Trap] {
        let count = cases.iter().filter(|case| case.sidecar.kind == kind).count();
        assert!(count >= 10, "only {count} {kind:?} diffs");
    }
}

#[test]
fn malicious_diffs_expect_something_and_benign_ones_never_fail() {
    for case in load_cases() {
        match case.sidecar.kind {
            Kind::Malicious => assert!(
                !case.sidecar.expect.is_empty() || case.sidecar.decision == Some(Decision::Error),
                "{}: a malicious case must expect a finding or an error",
                case.name
            ),
            Kind::Benign | Kind::Trap => assert_ne!(
                case.sidecar.decision,
                Some(Decision::Fail),
                "{}: a benign case cannot expect to fail",
                case.name
            ),
        }
    }
}
