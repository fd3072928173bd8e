//! Tenant A's alerts objects for the isolation table, and the check that B changed none.

use serde_json::{Value, json};
use testapp::{Member, TestApp};

/// A's alert is untouched and B's queue is empty.
pub async fn alerts_unchanged(
    app: &TestApp,
    owner_a: &Member,
    intruder: &Member,
    alerts_of_a: &AlertsOfA,
) {
    let alert: Value = app
        .get_as(&owner_a.token, &format!("/v1/alerts/{}", alerts_of_a.alert))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (alert["status"].as_str(), alert["history"].as_array().map(Vec::len)),
        (Some("new"), Some(0))
    );
    let seen: Value = app.get_as(&intruder.token, "/v1/alerts").await.json().await.unwrap();
    assert_eq!(seen["items"], json!([]));
    let seen: Value =
        app.get_as(&intruder.token, "/v1/correlation-groups").await.json().await.unwrap();
    assert_eq!(seen["items"], json!([]));
}

/// Tenant A's alerts capability objects, one of each.
pub struct AlertsOfA {
    pub alert: String,
    pub bulk_job: String,
    pub source: String,
    pub rule: String,
    pub correlation_rule: String,
    pub group: String,
}

pub async fn alerts_of(app: &TestApp, owner: &Member) -> AlertsOfA {
    let id = |value: Value| value["id"].as_str().unwrap().to_string();
    let post = |path: &'static str, body: Value| {
        let token = owner.token.clone();
        async move { app.post_as(&token, path, &body).await.json::<Value>().await.unwrap() }
    };
    let correlation_rule = id(post(
        "/v1/correlation-rules",
        json!({"name": "host", "link_by": ["host"], "threshold": 2}),
    )
    .await);
    let rule = id(post(
        "/v1/detection-rules",
        json!({"yaml": "title: t\nlogsource:\n    product: x\ndetection:\n    s:\n        a: b\n    condition: s\n"}),
    )
    .await);
    let source = id(post("/v1/alert-sources", json!({"name": "siem", "kind": "wazuh"})).await);
    let jobs = app.start_jobs().await;
    let pair = json!([
        {"title": "one", "severity": "high", "source": "s", "observables": [{"type": "hostname", "value": "a-1"}]},
        {"title": "two", "severity": "high", "source": "s", "observables": [{"type": "hostname", "value": "a-1"}]},
    ]);
    let report = post("/v1/alerts/ingest", pair).await;
    let alert = report["accepted"][1]["id"].as_str().unwrap().to_string();
    let mut group = None;
    for _ in 0..200 {
        let groups: Value =
            app.get_as(&owner.token, "/v1/correlation-groups").await.json().await.unwrap();
        if let Some(found) = groups["items"][0]["id"].as_str() {
            group = Some(found.to_string());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    jobs.shutdown().await.unwrap();
    let filter = json!({"action": "acknowledge", "filter": {"status": "closed"}});
    let bulk_job = id(post("/v1/alerts/bulk-jobs", filter).await);
    AlertsOfA {
        alert,
        bulk_job,
        source,
        rule,
        correlation_rule,
        group: group.expect("a correlation group"),
    }
}
