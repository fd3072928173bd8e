//! SLA targets per severity: missed targets marked once and announced as `alert.sla_breached`;
//! statistics (counts by status and severity, MTTA, MTTR, breaches) over ranges of hours.

use super::{Soc, accepted_id, own_alert};
use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};
use testapp::ResponseExt;

#[tokio::test]
async fn a_missed_acknowledge_target_is_marked_once_counted_and_announced() {
    let soc = Soc::start().await;
    let settings: Value = soc
        .app
        .send_as(
            reqwest::Method::PUT,
            &soc.admin.token,
            "/v1/alerts/settings",
            &json!({"sla": {"critical": {"acknowledge_secs": 600, "close_secs": 7200}}}),
        )
        .await
        .expect_json(200)
        .await;
    assert_eq!(settings["sla"]["critical"], json!({"acknowledge_secs": 600, "close_secs": 7200}));
    assert_eq!(settings["sla"]["high"]["acknowledge_secs"], 3600, "defaults stay");
    let late = accepted_id(
        &soc.ingest("/v1/alerts/ingest", &own_alert("Domain admin added", "critical", "dc-01"))
            .await,
    );
    let handled = accepted_id(
        &soc.ingest("/v1/alerts/ingest", &own_alert("Golden ticket", "critical", "dc-02")).await,
    );
    soc.post(&format!("/v1/alerts/{handled}/acknowledge"), &json!({})).await;
    let alert = soc.alert(&late).await;
    assert!(alert["sla"]["acknowledge_by"].is_string());
    let alerts = &soc.app.services.alerts;
    let tenant = soc.admin.tenant;
    assert_eq!(alerts.check_sla_at(tenant, Utc::now() + TimeDelta::seconds(30)).await.unwrap(), 0);
    let in_an_hour = Utc::now() + TimeDelta::hours(1);
    assert_eq!(
        alerts.check_sla_at(tenant, in_an_hour).await.unwrap(),
        1,
        "only the unacknowledged one"
    );
    assert_eq!(alerts.check_sla_at(tenant, in_an_hour).await.unwrap(), 0, "marked once");
    assert!(soc.alert(&late).await["ack_breached_at"].is_string());
    assert!(soc.alert(&handled).await["ack_breached_at"].is_null());
    // Three hours on, both missed their close target.
    assert_eq!(alerts.check_sla_at(tenant, Utc::now() + TimeDelta::hours(3)).await.unwrap(), 2);
    let events = soc.get("/v1/events").await;
    let breaches: Vec<&Value> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "alert.sla_breached")
        .collect();
    assert_eq!(breaches.len(), 2);
    assert!(breaches.iter().all(|e| e["severity"] == "critical"));
    let stats = soc.get("/v1/alerts/stats").await;
    assert_eq!(stats["sla_breaches"], json!({"acknowledge": 1, "close": 2}));
}

#[tokio::test]
async fn statistics_count_by_status_and_severity_with_response_times_over_whole_hours() {
    let soc = Soc::start().await;
    let batch = json!([
        own_alert("a", "high", "h1"),
        own_alert("b", "high", "h2"),
        own_alert("c", "low", "h3")
    ]);
    let report = soc.ingest("/v1/alerts/ingest", &batch).await;
    let ids: Vec<&str> =
        report["accepted"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    soc.post(&format!("/v1/alerts/{}/acknowledge", ids[0]), &json!({})).await;
    soc.post(&format!("/v1/alerts/{}/close", ids[1]), &json!({"disposition": "true_positive"}))
        .await;
    let stats = soc.get("/v1/alerts/stats").await;
    assert_eq!(
        stats["by_status"],
        json!({"total": 3, "new": 1, "acknowledged": 1, "investigating": 0, "closed": 1})
    );
    assert_eq!(stats["by_severity"]["high"]["total"], 2);
    assert_eq!(stats["by_severity"]["low"]["new"], 1);
    assert!(stats["mtta_seconds"].as_f64().unwrap() >= 0.0);
    assert!(stats["mttr_seconds"].as_f64().unwrap() >= 0.0);
    let hour = Utc::now().format("%Y-%m-%dT%H").to_string();
    let this_hour = soc.get(&format!("/v1/alerts/stats?from={hour}:30:00Z")).await;
    assert_eq!(this_hour["from"], format!("{hour}:00:00Z"), "rounded down to the hour");
    assert_eq!(this_hour["by_status"]["total"], 3);
    let future = soc.get("/v1/alerts/stats?from=2999-01-01T00:00:00Z").await;
    assert_eq!(
        (future["by_status"]["total"].as_i64(), future["mtta_seconds"].as_f64()),
        (Some(0), None)
    );
    let reopened: Value =
        soc.post(&format!("/v1/alerts/{}/reopen", ids[1]), &json!({})).await.expect_json(200).await;
    assert_eq!(reopened["status"], "acknowledged");
    let stats = soc.get("/v1/alerts/stats").await;
    assert_eq!(
        (stats["by_status"]["closed"].as_i64(), stats["mttr_seconds"].as_f64()),
        (Some(0), None)
    );
    let bad = soc
        .app
        .send_as(
            reqwest::Method::PUT,
            &soc.admin.token,
            "/v1/alerts/settings",
            &json!({"sla": {"high": {"acknowledge_secs": 1}}}),
        )
        .await
        .problem()
        .await;
    assert_eq!(bad.errors[0].field, "sla.high.acknowledge_secs");
}
