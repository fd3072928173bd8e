//! `palisade sigma test`: verdicts as JSON lines, without configuration or database.

use crate::process::BIN;
use serde_json::Value;
use std::process::Command;

const RULE: &str = "title: Certutil download
logsource:
    product: windows
    category: process_creation
detection:
    sel_img:
        Image|endswith: '\\certutil.exe'
    sel_cli:
        CommandLine|contains|windash: '-urlcache'
    condition: all of sel_*
level: high
";

fn scratch(files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("palisade-sigma-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

#[test]
fn sigma_test_prints_one_verdict_per_event_and_exits_zero_without_a_database() {
    let events = [
        r#"{"Image": "C:\\Windows\\System32\\certutil.exe", "CommandLine": "certutil /urlcache -f http://x a"}"#,
        "",
        r#"{"Image": "C:\\Windows\\System32\\certutil.exe", "CommandLine": "certutil -store"}"#,
        "not json",
    ]
    .join("\n");
    // A configuration file that does not parse proves the command never reads it.
    let dir = scratch(&[("rule.yml", RULE), ("events.ndjson", &events), ("palisade.toml", "[[[")]);
    let output = Command::new(BIN)
        .args(["sigma", "test", "rule.yml", "events.ndjson"])
        .current_dir(&dir)
        .env_clear()
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!((lines[0]["line"].as_u64(), lines[0]["matched"].as_bool()), (Some(1), Some(true)));
    assert_eq!(lines[1]["selections"], serde_json::json!({"sel_cli": false, "sel_img": true}));
    assert_eq!(lines[1]["line"], 3);
    assert!(lines[2]["error"].as_str().unwrap().contains("not JSON"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sigma_test_refuses_an_invalid_rule_with_its_line_and_exit_code_two() {
    let broken = RULE.replace("condition: all of sel_*", "condition: all of sel_* and");
    let dir = scratch(&[("rule.yml", &broken), ("events.ndjson", "{}\n")]);
    let output = Command::new(BIN)
        .args(["sigma", "test", "rule.yml", "events.ndjson"])
        .current_dir(&dir)
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("rule.yml: line 10"), "{stderr}");
    let missing = Command::new(BIN)
        .args(["sigma", "test", "nope.yml", "-"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}
