//! Bulk changes: ten thousand listed alerts closed in one request and one transaction; a job by
//! filter that reports its progress and stops when cancelled.

use super::{Soc, own_alert};
use serde_json::{Value, json};
use std::time::Duration;
use testapp::ResponseExt;

async fn ingest_many(soc: &Soc, count: usize, prefix: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for start in (0..count).step_by(2_500) {
        let batch: Vec<Value> = (start..(start + 2_500).min(count))
            .map(|n| own_alert(&format!("{prefix} {n}"), "medium", &format!("host-{n}")))
            .collect();
        let report = soc.ingest("/v1/alerts/ingest", &json!(batch)).await;
        ids.extend(
            report["accepted"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_str().unwrap().to_string()),
        );
    }
    ids
}

#[tokio::test]
async fn ten_thousand_alerts_are_closed_in_one_request_with_history_statistics_and_one_event() {
    let soc = Soc::start().await;
    let ids = ingest_many(&soc, 10_000, "Flood").await;
    assert_eq!(ids.len(), 10_000);
    let mut listed: Vec<Value> = ids.iter().map(|id| json!(id)).collect();
    listed.push(json!(uuid::Uuid::now_v7()));
    let too_many: Vec<Value> = (0..10_001).map(|_| json!(uuid::Uuid::now_v7())).collect();
    let refused = soc
        .post(
            "/v1/alerts/bulk",
            &json!({"action": "close", "disposition": "benign", "ids": too_many}),
        )
        .await
        .problem()
        .await;
    assert_eq!(refused.errors[0].code, "TOO_MANY");
    let body = json!({"action": "close", "disposition": "false_positive", "comment": "scanner noise", "ids": listed[1..]});
    let answer: Value = soc.post("/v1/alerts/bulk", &body).await.expect_json(200).await;
    assert_eq!(answer["changed"].as_array().unwrap().len(), 9_999);
    assert_eq!(answer["not_found"].as_array().unwrap().len(), 1);
    let closed = soc.get("/v1/alerts?status=closed&limit=1").await;
    assert_eq!(closed["items"][0]["disposition"], "false_positive");
    let stats = soc.get("/v1/alerts/stats").await;
    assert_eq!(
        (stats["by_status"]["closed"].as_i64(), stats["by_status"]["new"].as_i64()),
        (Some(9_999), Some(1))
    );
    assert!(stats["mttr_seconds"].as_f64().unwrap() >= 0.0);
    assert_eq!(soc.count("alert_history").await, 9_999);
    let alert = soc.alert(ids[1].as_str()).await;
    assert_eq!(alert["history"][0]["comment"], "scanner noise");
    assert!(alert["history"][0]["bulk_id"].is_string());
    // Closing again changes nothing; the one left open is closed by a second request.
    let again: Value = soc
        .post(
            "/v1/alerts/bulk",
            &json!({"action": "close", "disposition": "benign", "ids": listed[..2]}),
        )
        .await
        .expect_json(200)
        .await;
    assert_eq!(
        (again["changed"].as_array().unwrap().len(), again["unchanged"].as_array().unwrap().len()),
        (1, 1)
    );
    let events = soc.get("/v1/events?limit=200").await;
    let updates = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "alert.updated")
        .collect::<Vec<_>>();
    assert_eq!(updates.len(), 2, "one event per bulk change");
    assert_eq!(updates[1]["payload"]["count"], 9_999);
    assert_eq!(soc.app.audit_summaries("alert.bulk_close").await[0]["changed"], 9_999);
}

#[tokio::test]
async fn a_bulk_job_by_filter_changes_every_matching_alert_and_reports_progress() {
    let soc = Soc::start().await;
    let _jobs = soc.app.start_jobs().await;
    ingest_many(&soc, 2_500, "Noise").await;
    soc.ingest("/v1/alerts/ingest", &own_alert("Keep me", "critical", "dc-01")).await;
    let body = json!({"action": "acknowledge", "comment": "triaged in bulk", "filter": {"severity": "medium", "status": "new"}});
    let job: Value = soc.post("/v1/alerts/bulk-jobs", &body).await.expect_json(202).await;
    assert_eq!((job["status"].as_str(), job["total"].as_i64()), (Some("queued"), Some(2_500)));
    let id = job["id"].as_str().unwrap();
    let done = wait_for(&soc, id, |job| job["status"] == "succeeded").await;
    assert_eq!((done["processed"].as_i64(), done["changed"].as_i64()), (Some(2_500), Some(2_500)));
    assert_eq!(
        soc.get("/v1/alerts?status=acknowledged&limit=200").await["items"]
            .as_array()
            .unwrap()
            .len(),
        200
    );
    assert_eq!(soc.get("/v1/alerts?status=new").await["items"][0]["title"], "Keep me");
    let finished =
        soc.post(&format!("/v1/alerts/bulk-jobs/{id}/cancel"), &json!({})).await.problem().await;
    assert_eq!(finished.status, 409);
    let listed = soc.get("/v1/alerts/bulk-jobs").await;
    assert_eq!(listed["items"][0]["id"], id);
}

#[tokio::test]
async fn a_cancelled_bulk_job_never_runs_and_leaves_the_alerts_as_they_were() {
    let soc = Soc::start().await;
    ingest_many(&soc, 50, "Noise").await;
    let body = json!({"action": "close", "disposition": "test", "filter": {}});
    let job: Value = soc.post("/v1/alerts/bulk-jobs", &body).await.expect_json(202).await;
    let id = job["id"].as_str().unwrap();
    let cancelled: Value = soc
        .post(&format!("/v1/alerts/bulk-jobs/{id}/cancel"), &json!({}))
        .await
        .expect_json(200)
        .await;
    assert_eq!(cancelled["status"], "cancelled");
    let _jobs = soc.app.start_jobs().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let job = soc.get(&format!("/v1/alerts/bulk-jobs/{id}")).await;
    assert_eq!((job["status"].as_str(), job["processed"].as_i64()), (Some("cancelled"), Some(0)));
    assert_eq!(soc.get("/v1/alerts/stats").await["by_status"]["new"], 50);
    let bad = soc
        .post("/v1/alerts/bulk-jobs", &json!({"action": "close", "filter": {}}))
        .await
        .problem()
        .await;
    assert_eq!(bad.errors[0].field, "disposition");
    let unknown = soc
        .post(
            "/v1/alerts/bulk-jobs",
            &json!({"action": "close", "disposition": "test", "filter": {"colour": "red"}}),
        )
        .await;
    assert_eq!(unknown.status(), 400);
}

async fn wait_for(soc: &Soc, id: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..200 {
        let job = soc.get(&format!("/v1/alerts/bulk-jobs/{id}")).await;
        if done(&job) {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the bulk job did not finish");
}
