//! Tenant rule packs: the same YAML as the built-in pack, refused with the line of the rule at
//! fault, run beside the built-in rules, and checked against their own examples before use.

use chrono::NaiveDate;
use diffscan_engine::{Engine, EngineError, PackError, Policy, parse_pack, validate_pack};

const TENANT_PACK: &str = r#"name: acme
version: 1
rules:
  - id: acme.internal-token
    family: secrets
    severity: high
    confidence: high
    title: ACME internal token
    description: A token for ACME's internal API.
    remediation: Revoke it in the ACME console.
    keywords: [acme_]
    pattern: '\b(?P<token>acme_[A-Za-z0-9]{24})\b'
    capture: token
    examples:
      positive: ["TOKEN = 'acme_Zx81Kq0PmW3nB7vR2tY5uLc9'"]
      negative: ["TOKEN = os.environ['ACME']"]
"#;

fn scan_with(engine: &Engine, diff: &str) -> Vec<String> {
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let report = engine.scan(diff.as_bytes(), &Policy::default(), None, today);
    report.findings.into_iter().map(|finding| finding.rule_id).collect()
}

#[test]
fn a_valid_tenant_pack_runs_beside_the_built_in_rules() {
    let pack = validate_pack(TENANT_PACK, "tenant/acme.yaml").unwrap();
    let engine = Engine::with_packs(vec![pack]).unwrap();
    let diff = "diff --git a/a.py b/a.py\nindex 83db48f..bf269f4 100644\n--- a/a.py\n+++ b/a.py\n@@ -1 +1,2 @@\n x = 1\n+TOKEN = 'acme_Zx81Kq0PmW3nB7vR2tY5uLc9'\n";
    assert!(scan_with(&engine, diff).contains(&"acme.internal-token".to_string()));
    assert!(engine.rules().len() > Engine::builtin().unwrap().rules().len());
}

#[test]
fn a_broken_regex_is_reported_on_the_line_of_its_rule() {
    let broken = TENANT_PACK.replace("{24})\\b'", "{24})(\\b'");
    let error = parse_pack(&broken, "tenant/acme.yaml").unwrap_err();
    let issues = error.issues();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].line, 4, "the rule starts on line 4: {error}");
    assert_eq!(issues[0].rule.as_deref(), Some("acme.internal-token"));
    assert!(error.to_string().contains("tenant/acme.yaml"));
}

#[test]
fn a_yaml_syntax_error_carries_its_line_and_column() {
    let error =
        parse_pack("name: x\nversion: 1\nrules:\n  - id: [unclosed\n", "t.yaml").unwrap_err();
    assert!(matches!(error, PackError::Syntax { line: 4.., .. }), "{error:?}");
}

#[test]
fn missing_examples_unknown_fields_and_bad_ids_are_all_reported_at_once() {
    let bad = TENANT_PACK
        .replace("id: acme.internal-token", "id: ACME")
        .replace("      negative: [\"TOKEN = os.environ['ACME']\"]\n", "")
        .replace("    capture: token\n", "    capture: nothing\n");
    let issues = parse_pack(&bad, "t.yaml").unwrap_err().issues();
    let text: Vec<String> = issues.iter().map(|issue| issue.message.clone()).collect();
    assert!(text.iter().any(|m| m.contains("rule id")), "{text:?}");
    assert!(text.iter().any(|m| m.contains("negative example")), "{text:?}");
    assert!(text.iter().any(|m| m.contains("capture")), "{text:?}");
    let unknown = TENANT_PACK.replace("    capture: token\n", "    captur: token\n");
    assert!(parse_pack(&unknown, "t.yaml").is_err());
}

#[test]
fn a_pack_whose_examples_do_not_hold_is_refused_with_the_rule_line() {
    let wrong = TENANT_PACK.replace(
        "negative: [\"TOKEN = os.environ['ACME']\"]",
        "negative: [\"T = 'acme_Zx81Kq0PmW3nB7vR2tY5uLc9'\"]",
    );
    let issues = validate_pack(&wrong, "t.yaml").unwrap_err().issues();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].line, 4);
    assert!(issues[0].message.contains("negative example 1"), "{}", issues[0].message);
}

#[test]
fn a_tenant_rule_may_not_reuse_a_built_in_id() {
    let clash = TENANT_PACK.replace("acme.internal-token", "secrets.github-token");
    let pack = parse_pack(&clash, "t.yaml").unwrap();
    assert!(matches!(Engine::with_packs(vec![pack]), Err(EngineError::RuleSet(_))));
}
