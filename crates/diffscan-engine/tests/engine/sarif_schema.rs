//! The SARIF renderer's output validates against the official SARIF 2.1.0 schema
//! (`tests/data/sarif-schema-2.1.0.json`, see its PROVENANCE file) for every corpus diff, and
//! carries what code-scanning services read: fingerprints, baseline state and suppressions.

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use diffscan_engine::render::sarif;
use diffscan_engine::{Baseline, Engine, Policy, Report};
use serde_json::Value;

fn schema() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options().should_validate_formats(true).build(&schema).unwrap()
}

fn corpus_reports() -> Vec<(String, Report)> {
    let engine = Engine::builtin().unwrap();
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut reports = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "diff") {
            let report = engine.scan(&fs::read(&path).unwrap(), &Policy::default(), None, today);
            reports.push((path.display().to_string(), report));
        }
    }
    reports
}

fn assert_valid(validator: &jsonschema::Validator, name: &str, log: &Value) {
    let errors: Vec<String> =
        validator.iter_errors(log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{name}: SARIF is not schema-valid:\n{}", errors.join("\n"));
}

#[test]
fn sarif_for_every_corpus_diff_is_valid_against_the_official_schema() {
    let validator = schema();
    let reports = corpus_reports();
    assert!(reports.len() >= 60);
    for (name, report) in &reports {
        let log = sarif(report);
        assert_valid(&validator, name, &log);
        // GitHub code scanning drops results without a location.
        for result in log["runs"][0]["results"].as_array().unwrap() {
            let uri = &result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
            assert!(uri.is_string(), "{name}: a result without a location");
        }
    }
}

#[test]
fn the_schema_rejects_a_broken_log_so_the_check_above_means_something() {
    let validator = schema();
    let (_, report) = corpus_reports().into_iter().find(|(_, r)| !r.findings.is_empty()).unwrap();
    let mut log = sarif(&report);
    log["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&log));
}

#[test]
fn results_carry_fingerprints_suppressions_and_a_baseline_state_once_a_baseline_is_applied() {
    let engine = Engine::builtin().unwrap();
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let diff = fs::read(dir.join("policy-suppression-with-reason.diff")).unwrap();
    let first = engine.scan(&diff, &Policy::default(), None, today);
    let log = sarif(&first);
    let result = &log["runs"][0]["results"][0];
    assert!(result["partialFingerprints"]["palisadeFindingHash/v1"].is_string());
    assert_eq!(result["suppressions"][0]["kind"], "inSource");
    assert!(result.get("baselineState").is_none());

    let secrets = fs::read(dir.join("secret-aws-keys-in-settings.diff")).unwrap();
    let report = engine.scan(&secrets, &Policy::default(), None, today);
    let baseline = Baseline::from_report(&report);
    let again = engine.scan(&secrets, &Policy::default(), Some(&baseline), today);
    let log = sarif(&again);
    assert_valid(&schema(), "baselined", &log);
    let states: Vec<&Value> =
        log["runs"][0]["results"].as_array().unwrap().iter().map(|r| &r["baselineState"]).collect();
    assert!(!states.is_empty() && states.iter().all(|state| *state == "unchanged"));
}
