//! Sigma semantics through `POST /v1/detection-rules/test`: for each value modifier and each
//! condition form, an event that must match and one that must not. Matching is the Sigma
//! specification's: case-insensitive by default, `*` and `?` wildcards, and the modifiers'
//! transformations.

use super::Soc;
use serde_json::{Value, json};
use testapp::ResponseExt;

fn rule(detection: &str) -> String {
    format!(
        "title: Modifier case\nid: 6f0e3b2a-1c4d-4e5f-8a9b-0c1d2e3f4a5b\nstatus: test\nlogsource:\n    \
         product: windows\n    category: process_creation\ndetection:\n{detection}\nlevel: high\n"
    )
}

/// Whether each event matches the rule made of `detection`.
async fn verdicts(soc: &Soc, detection: &str, events: &[Value]) -> Vec<bool> {
    let body = json!({"yaml": rule(detection), "events": events});
    let answer: Value = soc.post("/v1/detection-rules/test", &body).await.expect_json(200).await;
    answer["verdicts"].as_array().unwrap().iter().map(|v| v["matched"].as_bool().unwrap()).collect()
}

#[tokio::test]
async fn every_supported_modifier_matches_its_positive_and_not_its_negative_event() {
    let soc = Soc::start().await;
    let cases: &[(&str, &str, Value, Value)] = &[
        (
            "plain value, case-insensitive",
            "    sel:\n        Image: 'C:\\Windows\\System32\\CMD.EXE'\n    condition: sel",
            json!({"Image": "c:\\windows\\system32\\cmd.exe"}),
            json!({"Image": "C:\\Windows\\System32\\cmd.com"}),
        ),
        (
            "wildcards * and ?",
            "    sel:\n        Image: '*\\p?wershell.exe'\n    condition: sel",
            json!({"Image": "C:\\Windows\\powershell.exe"}),
            json!({"Image": "C:\\Windows\\pwsh.exe"}),
        ),
        (
            "contains",
            "    sel:\n        CommandLine|contains: '-urlcache'\n    condition: sel",
            json!({"CommandLine": "certutil -URLCACHE -f http://x"}),
            json!({"CommandLine": "certutil -store"}),
        ),
        (
            "startswith",
            "    sel:\n        CommandLine|startswith: 'rundll32'\n    condition: sel",
            json!({"CommandLine": "RunDll32.exe comsvcs.dll"}),
            json!({"CommandLine": "C:\\rundll32.exe"}),
        ),
        (
            "endswith",
            "    sel:\n        Image|endswith: '\\certutil.exe'\n    condition: sel",
            json!({"Image": "C:\\Windows\\System32\\certutil.exe"}),
            json!({"Image": "C:\\certutil.exe.bak"}),
        ),
        (
            "contains|all",
            "    sel:\n        CommandLine|contains|all:\n            - '-nop'\n            - '-enc'\n    condition: sel",
            json!({"CommandLine": "powershell -NoP -W hidden -Enc AAA"}),
            json!({"CommandLine": "powershell -nop -c dir"}),
        ),
        (
            "re",
            "    sel:\n        CommandLine|re: '(?i)\\s-e(nc(odedcommand)?)?\\s+[A-Za-z0-9+/=]{16,}'\n    condition: sel",
            json!({"CommandLine": "powershell -e SQBFAFgAIAAoAE4AZQB3AC0A"}),
            json!({"CommandLine": "powershell -e short"}),
        ),
        (
            "base64",
            "    sel:\n        CommandLine|base64: 'IEX ('\n    condition: sel",
            json!({"CommandLine": "SUVYICg="}),
            json!({"CommandLine": "IEX ("}),
        ),
        (
            "base64offset|contains",
            "    sel:\n        CommandLine|base64offset|contains: 'Invoke-Mimikatz'\n    condition: sel",
            json!({"CommandLine": "powershell -enc ICAgSW52b2tlLU1pbWlrYXR6IC1EdW1wQ3JlZHM="}),
            json!({"CommandLine": "powershell -enc SW52b2tlLVdlYlJlcXVlc3Q="}),
        ),
        (
            "wide|base64offset|contains",
            "    sel:\n        CommandLine|wide|base64offset|contains: 'IEX'\n    condition: sel",
            json!({"CommandLine": "-enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA"}),
            json!({"CommandLine": "-enc SUVYICg="}),
        ),
        (
            "cidr",
            "    sel:\n        DestinationIp|cidr: '10.0.0.0/8'\n    condition: sel",
            json!({"DestinationIp": "10.44.8.21"}),
            json!({"DestinationIp": "11.0.0.1"}),
        ),
        (
            "windash",
            "    sel:\n        CommandLine|windash|contains: ' -decode '\n    condition: sel",
            json!({"CommandLine": "certutil /decode a b"}),
            json!({"CommandLine": "certutil -encode a b"}),
        ),
        (
            "fieldref",
            "    sel:\n        ParentUser|fieldref: User\n    condition: sel",
            json!({"User": "CORP\\alice", "ParentUser": "CORP\\alice"}),
            json!({"User": "CORP\\alice", "ParentUser": "NT AUTHORITY\\SYSTEM"}),
        ),
        (
            "null",
            "    sel:\n        Image|endswith: '\\cmd.exe'\n        OriginalFileName: null\n    condition: sel",
            json!({"Image": "C:\\cmd.exe"}),
            json!({"Image": "C:\\cmd.exe", "OriginalFileName": "Cmd.Exe"}),
        ),
        (
            "numeric gte",
            "    sel:\n        LogonType|gte: 10\n    condition: sel",
            json!({"LogonType": 10}),
            json!({"LogonType": 3}),
        ),
        (
            "value list is an or",
            "    sel:\n        Image|endswith:\n            - '\\mshta.exe'\n            - '\\wscript.exe'\n    condition: sel",
            json!({"Image": "C:\\wscript.exe"}),
            json!({"Image": "C:\\cscript.exe"}),
        ),
    ];
    for (name, detection, positive, negative) in cases {
        let found = verdicts(&soc, detection, &[positive.clone(), negative.clone()]).await;
        assert_eq!(found, [true, false], "{name}");
    }
}

#[tokio::test]
async fn conditions_and_or_not_one_of_and_all_of_combine_selections() {
    let soc = Soc::start().await;
    let selections = "    selection_img:\n        Image|endswith: '\\rundll32.exe'\n    selection_cli:\n        \
                      CommandLine|contains: 'MiniDump'\n    filter_system:\n        User: 'NT AUTHORITY\\SYSTEM'\n";
    let both = json!({"Image": "C:\\rundll32.exe", "CommandLine": "comsvcs.dll, MiniDump 712", "User": "CORP\\eve"});
    let image_only =
        json!({"Image": "C:\\rundll32.exe", "CommandLine": "shell32.dll", "User": "CORP\\eve"});
    let cli_only = json!({"Image": "C:\\x.exe", "CommandLine": "MiniDump", "User": "CORP\\eve"});
    let by_system = json!({"Image": "C:\\rundll32.exe", "CommandLine": "MiniDump", "User": "NT AUTHORITY\\SYSTEM"});
    let neither = json!({"Image": "C:\\x.exe", "CommandLine": "dir", "User": "CORP\\eve"});
    let events = [both, image_only, cli_only, by_system, neither];
    let cases: &[(&str, [bool; 5])] = &[
        ("selection_img and selection_cli", [true, false, false, true, false]),
        ("selection_img or selection_cli", [true, true, true, true, false]),
        ("selection_img and not selection_cli", [false, true, false, false, false]),
        ("all of selection_* and not filter_system", [true, false, false, false, false]),
        ("1 of selection_* and not filter_system", [true, true, true, false, false]),
        ("1 of them", [true, true, true, true, false]),
        ("all of them", [false, false, false, true, false]),
        (
            "(selection_img or selection_cli) and not 1 of filter_*",
            [true, true, true, false, false],
        ),
        ("not selection_img", [false, false, true, false, true]),
    ];
    for (condition, expected) in cases {
        let detection = format!("{selections}    condition: {condition}");
        assert_eq!(verdicts(&soc, &detection, &events).await, expected, "{condition}");
    }
}

#[tokio::test]
async fn a_rule_test_reports_selections_logsource_skips_and_exceptions() {
    let soc = Soc::start().await;
    let evtx = |id: u32| {
        json!({"Event": {
            "System": {"Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon"}}, "EventID": id,
                       "Channel": "Microsoft-Windows-Sysmon/Operational", "Computer": "WS-9"},
            "EventData": {"Image": "C:\\Windows\\System32\\certutil.exe", "CommandLine": "certutil -urlcache -f http://x a", "User": "CORP\\bob"}
        }})
    };
    let ecs = json!({"@timestamp": "2026-01-01T00:00:00Z", "event": {"category": ["process"], "type": ["start"]},
                     "host": {"os": {"type": "windows"}}, "process": {"executable": "C:\\certutil.exe", "command_line": "certutil -urlcache x"}});
    let yaml = rule(
        "    sel_img:\n        Image|endswith: '\\certutil.exe'\n    sel_cli:\n        CommandLine|contains: 'urlcache'\n    condition: all of sel_*",
    );
    let body = json!({"yaml": yaml, "events": [evtx(1), evtx(7), ecs, {"Image": "C:\\certutil.exe", "CommandLine": "x"}, 42],
                      "exceptions": []});
    let answer: Value = soc.post("/v1/detection-rules/test", &body).await.expect_json(200).await;
    let v = &answer["verdicts"];
    assert_eq!(v[0]["matched"], true);
    assert_eq!(v[0]["selections"], json!({"sel_cli": true, "sel_img": true}));
    // A Sysmon image load (event 7) is not a process creation: the rule does not apply.
    assert_eq!(v[1]["matched"], false);
    assert!(v[1]["skipped"].as_str().unwrap().contains("image_load"));
    assert_eq!(v[2]["matched"], true, "ECS fields map to Sigma names");
    assert_eq!(v[3]["selections"], json!({"sel_cli": false, "sel_img": true}));
    assert!(v[4]["error"].as_str().is_some());
    assert_eq!(answer["matched"], 2);
    let excepted = json!({"yaml": yaml, "events": [evtx(1)], "exceptions": [{"Computer": "ws-9"}]});
    let answer: Value =
        soc.post("/v1/detection-rules/test", &excepted).await.expect_json(200).await;
    assert_eq!(
        (answer["verdicts"][0]["matched"].as_bool(), answer["verdicts"][0]["excepted_by"].as_u64()),
        (Some(false), Some(0))
    );
}
