//! Rules that cannot be used are refused with the parser's message and the line concerned.

use detect::sigma::SigmaRule;

const HEAD: &str =
    "title: Broken\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n";

#[test]
fn a_yaml_syntax_error_is_reported_at_its_line_and_column() {
    let yaml = format!(
        "{HEAD}    selection:\n        Image|endswith: '\\cmd.exe\n    condition: selection\n"
    );
    let error = SigmaRule::parse(&yaml).unwrap_err();
    assert!(error.message.starts_with("YAML syntax error"), "{error}");
    assert!(error.line.is_some_and(|line| line >= 7), "{error:?}");
    assert!(error.column.is_some());
}

#[test]
fn an_unknown_modifier_is_reported_at_the_line_that_uses_it() {
    let yaml = format!(
        "{HEAD}    selection:\n        Image|endswitch: '\\cmd.exe'\n    condition: selection\n"
    );
    let error = SigmaRule::parse(&yaml).unwrap_err();
    assert!(error.message.contains("endswitch"), "{error}");
    assert_eq!(error.line, Some(7));
}

#[test]
fn a_condition_naming_a_missing_selection_is_reported_at_the_condition() {
    let yaml = format!(
        "{HEAD}    selection:\n        Image|endswith: '\\cmd.exe'\n    condition: selection and not filter\n"
    );
    let error = SigmaRule::parse(&yaml).unwrap_err();
    assert!(error.message.contains("filter"), "{error}");
    assert_eq!(error.line, Some(8));
}

#[test]
fn an_invalid_regular_expression_is_reported_at_its_line() {
    let yaml = format!(
        "{HEAD}    selection:\n        Image|endswith: '\\cmd.exe'\n        CommandLine|re: '(unclosed'\n    condition: selection\n"
    );
    let error = SigmaRule::parse(&yaml).unwrap_err();
    assert!(error.message.contains("regex"), "{error}");
    assert_eq!(error.line, Some(8));
}

#[test]
fn a_rule_without_detection_is_refused() {
    let error = SigmaRule::parse("title: Empty\nlogsource:\n    product: windows\n").unwrap_err();
    assert!(error.message.contains("detection"), "{error}");
    assert_eq!(error.to_string(), format!("line 1: {}", error.message));
}

#[test]
fn a_valid_rule_exposes_its_metadata() {
    let yaml = format!(
        "{HEAD}    selection:\n        Image|endswith: '\\cmd.exe'\n    filter:\n        User: x\n    condition: selection and not filter\nlevel: critical\ntags:\n    - attack.execution\n    - attack.t1059.003\n"
    );
    let rule = SigmaRule::parse(&yaml).unwrap();
    assert_eq!(rule.title(), "Broken");
    assert_eq!(rule.level(), detect::Severity::Critical);
    assert_eq!(rule.selections(), ["filter", "selection"]);
    assert_eq!(rule.tactics(), ["execution"]);
    assert_eq!(rule.techniques()[0].as_str(), "T1059.003");
}
