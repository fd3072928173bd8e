//! Correlation: alerts sharing a host within the window grow one group across pushes; the
//! group reaching the rule's threshold raises `incident.candidate` once.

use super::{Soc, own_alert};
use serde_json::{Value, json};
use std::time::Duration;
use testapp::ResponseExt;

#[tokio::test]
async fn alerts_sharing_a_host_form_a_group_that_becomes_an_incident_candidate_once() {
    let soc = Soc::start().await;
    let _jobs = soc.app.start_jobs().await;
    let rule: Value = soc
        .post(
            "/v1/correlation-rules",
            &json!({"name": "Same host", "link_by": ["host"], "window_secs": 1800, "threshold": 3}),
        )
        .await
        .expect_json(201)
        .await;
    assert_eq!(rule["link_by"], json!(["host"]));
    let refused = soc
        .post("/v1/correlation-rules", &json!({"name": "Bad", "link_by": ["colour"]}))
        .await
        .problem()
        .await;
    assert_eq!(refused.errors[0].code, "INVALID_LINK");
    let mut members = Vec::new();
    for title in [
        "Phishing link clicked",
        "Macro spawned PowerShell",
        "Beacon to rare domain",
        "LSASS access",
    ] {
        let report = soc.ingest("/v1/alerts/ingest", &own_alert(title, "high", "WS-42")).await;
        members.push(report["accepted"][0]["id"].as_str().unwrap().to_string());
    }
    soc.ingest("/v1/alerts/ingest", &own_alert("Unrelated", "high", "ws-99")).await;
    let group = wait_for_group(&soc, 4).await;
    assert_eq!(group["keys"], json!([{"kind": "host", "value": "ws-42"}]));
    assert!(group["candidate_at"].is_string());
    let mut found: Vec<String> = group["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["alert_id"].as_str().unwrap().to_string())
        .collect();
    found.sort();
    members.sort();
    assert_eq!(found, members);
    let alert = soc.alert(&members[0]).await;
    assert_eq!(alert["correlation_group_ids"], json!([group["id"]]));
    let events = soc.get("/v1/events").await;
    let candidates: Vec<&Value> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "incident.candidate")
        .collect();
    assert_eq!(candidates.len(), 1, "raised once, when the third alert arrived");
    assert_eq!(candidates[0]["payload"]["group_id"], group["id"]);
    assert_eq!(candidates[0]["payload"]["member_count"], 3);
    let only = soc.get("/v1/correlation-groups?candidates=true").await;
    assert_eq!(only["items"].as_array().unwrap().len(), 1);
}

async fn wait_for_group(soc: &Soc, members: i64) -> Value {
    for _ in 0..200 {
        let groups = soc.get("/v1/correlation-groups").await;
        if let Some(group) =
            groups["items"].as_array().unwrap().iter().find(|g| g["member_count"] == members)
        {
            return soc
                .get(&format!("/v1/correlation-groups/{}", group["id"].as_str().unwrap()))
                .await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no group of {members} alerts formed");
}
