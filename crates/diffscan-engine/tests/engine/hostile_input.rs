//! Hostile input never crashes the engine: arbitrary bytes, and diff-shaped noise built from the
//! lines git writes, go through parse, verify, detect, grade and every renderer; policy, pack,
//! baseline and artifact parsers refuse garbage with an error rather than a panic.
//! (`fuzz/` holds the cargo-fuzz target that explores the same entry points without bounds.)

use std::sync::OnceLock;

use chrono::NaiveDate;
use diffscan_engine::render::{Format, render};
use diffscan_engine::{
    Baseline, Decision, Engine, Limits, Policy, VerificationKey, parse_pack, verify_artifact,
};
use proptest::prelude::*;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().unwrap())
}

/// Small limits so that the limit paths are reached too.
fn policy() -> Policy {
    Policy::default().with_limits(Limits::new(64 << 10, 8, 200).unwrap())
}

/// Lines that steer the parser into every state: headers, hunks, markers, binary payloads.
fn diff_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("diff --git a/x.py b/x.py".to_string()),
        Just("diff --git \"a/q\\303\\244\" \"b/q\\303\\244\"".to_string()),
        Just("diff --cc merge.c".to_string()),
        Just("new file mode 100644".to_string()),
        Just("new file mode 120000".to_string()),
        Just("old mode 100644".to_string()),
        Just("new mode 100755".to_string()),
        Just("rename from a/../x".to_string()),
        Just("index 83db48f..bf269f4 100644".to_string()),
        Just("index 0000000..bf269f4".to_string()),
        Just("GIT binary patch".to_string()),
        Just("literal 3".to_string()),
        Just("Binary files a/x and b/x differ".to_string()),
        Just("--- a/x.py".to_string()),
        Just("--- /dev/null".to_string()),
        Just("+++ b/x.py".to_string()),
        Just("+++ b/.git/config".to_string()),
        (0u32..5, 0u32..4, 0u32..5, 0u32..4)
            .prop_map(|(a, b, c, d)| format!("@@ -{a},{b} +{c},{d} @@")),
        Just("\\ No newline at end of file".to_string()),
        "[ +-][ -~]{0,40}".prop_map(|s| s),
        Just("+-----BEGIN PRIVATE KEY-----".to_string()),
        Just("+AKIAHBRPOIGF3CBFNOBM palisade-ignore[secrets.*]: reason here please".to_string()),
        Just("+\u{202E}\u{200B}\u{E0041}\u{FE00}\u{FE01} p\u{0430}ypal".to_string()),
        "\\PC{0,30}".prop_map(|s| format!("+{s}")),
    ]
}

fn check_report(input: &[u8]) {
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let report = engine().scan(input, &policy(), None, today);
    let blocking = report.findings.iter().any(|finding| finding.blocking);
    assert!(report.decision != Decision::Pass || !blocking, "a pass with a blocking finding");
    for finding in &report.findings {
        assert!(!finding.snippet.chars().any(char::is_control), "control character in a snippet");
        assert!(finding.path.iter().all(|path| !path.chars().any(char::is_control)));
    }
    for format in Format::ALL {
        render(&report, format).unwrap();
    }
    Baseline::from_report(&report).to_json().unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_and_give_a_consistent_report(input in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check_report(&input);
    }

    #[test]
    fn diff_shaped_noise_never_panics(lines in proptest::collection::vec(diff_line(), 0..60), crlf in any::<bool>()) {
        let ending = if crlf { "\r\n" } else { "\n" };
        let input = lines.join(ending);
        check_report(input.as_bytes());
    }

    #[test]
    fn garbage_policies_packs_baselines_and_artifacts_are_errors_not_panics(text in "\\PC{0,200}") {
        let _ = Policy::parse(&text);
        let _ = parse_pack(&text, "fuzz");
        let _ = Baseline::parse(&text);
        prop_assert!(verify_artifact(text.as_bytes(), &[VerificationKey::development()]).is_err());
    }
}

#[test]
fn a_hunk_of_a_hundred_thousand_lines_is_parsed_and_scanned() {
    let mut diff = String::from(
        "diff --git a/big.txt b/big.txt\nnew file mode 100644\nindex 0000000..1f2e3d4\n--- /dev/null\n+++ b/big.txt\n@@ -0,0 +1,100000 @@\n",
    );
    for line in 0..100_000 {
        diff.push_str(&format!("+line {line} of a generated file\n"));
    }
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let report = engine().scan(diff.as_bytes(), &Policy::default(), None, today);
    assert_eq!(report.stats.added_lines, 100_000);
    assert_eq!(report.decision, Decision::Pass);
}

#[test]
fn a_line_over_the_limit_is_cut_reported_and_does_not_fail_by_itself() {
    let long = "x".repeat(300);
    let diff = format!(
        "diff --git a/m.js b/m.js\nindex 83db48f..bf269f4 100644\n--- a/m.js\n+++ b/m.js\n@@ -1 +1,2 @@\n a\n+{long}\n"
    );
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let report = engine().scan(diff.as_bytes(), &policy(), None, today);
    assert!(report.findings.iter().any(|finding| finding.rule_id == "integrity.line-too-long"));
    assert_eq!(report.decision, Decision::Pass);
}
