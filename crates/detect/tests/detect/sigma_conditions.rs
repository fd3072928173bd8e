//! Sigma conditions: and, or, not, parentheses, `1 of` and `all of` over patterns and `them`.

use crate::support::fires;
use serde_json::{Value, json};

const SELECTIONS: &str = "    sel_image:\n        Image|endswith: '\\rundll32.exe'\n    sel_cli:\n        CommandLine|contains: 'comsvcs'\n    filter_admin:\n        User: 'CORP\\admin'\n";

fn with(condition: &str) -> String {
    format!("{SELECTIONS}    condition: {condition}")
}

fn event(image: &str, cli: &str, user: &str) -> Value {
    json!({"Image": image, "CommandLine": cli, "User": user})
}

#[test]
fn and_needs_both_selections() {
    let rule = with("sel_image and sel_cli");
    assert!(fires(&rule, &event("C:\\w\\rundll32.exe", "rundll32 comsvcs.dll", "CORP\\bob")));
    assert!(!fires(&rule, &event("C:\\w\\rundll32.exe", "rundll32 shell32.dll", "CORP\\bob")));
}

#[test]
fn or_needs_either_selection() {
    let rule = with("sel_image or sel_cli");
    assert!(fires(&rule, &event("C:\\w\\cmd.exe", "x comsvcs", "CORP\\bob")));
    assert!(!fires(&rule, &event("C:\\w\\cmd.exe", "dir", "CORP\\bob")));
}

#[test]
fn not_excludes_the_filtered_events() {
    let rule = with("sel_image and not filter_admin");
    assert!(fires(&rule, &event("C:\\w\\rundll32.exe", "", "CORP\\bob")));
    assert!(!fires(&rule, &event("C:\\w\\rundll32.exe", "", "corp\\ADMIN")));
}

#[test]
fn parentheses_group_before_and_binds_tighter_than_or() {
    let grouped = with("sel_image and (sel_cli or filter_admin)");
    assert!(!fires(&grouped, &event("C:\\w\\cmd.exe", "", "CORP\\admin")));
    let precedence = with("sel_image and sel_cli or filter_admin");
    assert!(fires(&precedence, &event("C:\\w\\cmd.exe", "", "CORP\\admin")));
}

#[test]
fn one_of_a_pattern_needs_any_selection_it_names() {
    let rule = with("1 of sel_*");
    assert!(fires(&rule, &event("C:\\w\\cmd.exe", "comsvcs", "x")));
    assert!(
        !fires(&rule, &event("C:\\w\\cmd.exe", "dir", "CORP\\admin")),
        "filter_admin is no sel_*"
    );
}

#[test]
fn all_of_a_pattern_needs_every_selection_it_names() {
    let rule = with("all of sel_*");
    assert!(fires(&rule, &event("C:\\w\\rundll32.exe", "comsvcs", "x")));
    assert!(!fires(&rule, &event("C:\\w\\rundll32.exe", "shell32", "x")));
}

#[test]
fn one_of_them_and_all_of_them_cover_every_selection() {
    let any = with("1 of them");
    assert!(fires(&any, &event("C:\\w\\cmd.exe", "dir", "CORP\\admin")));
    assert!(!fires(&any, &event("C:\\w\\cmd.exe", "dir", "x")));
    let all = with("all of them");
    assert!(fires(&all, &event("C:\\w\\rundll32.exe", "comsvcs", "CORP\\admin")));
    assert!(!fires(&all, &event("C:\\w\\rundll32.exe", "comsvcs", "x")));
}

#[test]
fn not_one_of_a_pattern_excludes_any_filter() {
    let rule = format!(
        "{SELECTIONS}    filter_system:\n        User: 'NT AUTHORITY\\SYSTEM'\n    condition: sel_image and not 1 of filter_*"
    );
    assert!(fires(&rule, &event("C:\\w\\rundll32.exe", "", "CORP\\bob")));
    assert!(!fires(&rule, &event("C:\\w\\rundll32.exe", "", "NT AUTHORITY\\SYSTEM")));
}

#[test]
fn a_list_of_maps_in_one_selection_is_an_or_of_its_maps() {
    let rule = "    selection:\n        - Image|endswith: '\\certutil.exe'\n        - OriginalFileName: 'CertUtil.exe'\n    condition: selection";
    assert!(fires(
        rule,
        &json!({"Image": "D:\\tools\\renamed.exe", "OriginalFileName": "CertUtil.exe"})
    ));
    assert!(!fires(rule, &json!({"Image": "D:\\tools\\renamed.exe", "OriginalFileName": "x.exe"})));
}
