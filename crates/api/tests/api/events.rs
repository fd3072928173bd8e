//! HTTP tests of /v1/events, fed the way a capability feeds it: `platform::outbox::emit` inside
//! the domain's transaction, which also creates one delivery per matching channel.

use crate::receivers::create_channel;
use platform::TenantId;
use platform::access::Role;
use platform::outbox::{Event, Severity, emit};
use serde_json::{Value, json};
use testapp::TestApp;

/// Emits one event for `tenant` and commits; returns its id.
async fn emit_event(app: &TestApp, tenant: TenantId, kind: &str, severity: Severity) -> String {
    let mut tx = app.db.app.tenant_tx(tenant).await.unwrap();
    let event =
        Event { kind, severity, subject: "Something happened", payload: json!({"port": 22}) };
    let emitted = emit(&mut tx, &event).await.unwrap();
    tx.commit().await.unwrap();
    emitted.event_id.to_string()
}

async fn event_ids(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let response = app.get_as(token, &format!("/v1/events?{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    let page: Value = response.json().await.unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn events_are_listed_newest_first_with_type_severity_and_time_filters() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let opened = emit_event(&app, admin.tenant, "surface.port_opened", Severity::High).await;
    let closed = emit_event(&app, admin.tenant, "surface.port_closed", Severity::Low).await;
    let alert = emit_event(&app, admin.tenant, "alerts.created", Severity::Critical).await;

    assert_eq!(
        event_ids(&app, &admin.token, "").await,
        [alert.as_str(), closed.as_str(), opened.as_str()]
    );
    assert_eq!(event_ids(&app, &admin.token, "type=surface.port_closed").await, [closed.as_str()]);
    assert_eq!(
        event_ids(&app, &admin.token, "min_severity=high").await,
        [alert.as_str(), opened.as_str()]
    );
    assert_eq!(event_ids(&app, &admin.token, "since=2000-01-01T00:00:00Z").await.len(), 3);
    assert!(event_ids(&app, &admin.token, "since=2999-01-01T00:00:00Z").await.is_empty());

    let page: Value = app.get_as(&admin.token, "/v1/events?limit=2").await.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let first = &page["items"][0];
    assert_eq!(
        (first["type"].as_str(), first["severity"].as_str()),
        (Some("alerts.created"), Some("critical"))
    );
    assert_eq!(first["payload"], json!({"port": 22}));
    assert_eq!(first["title"], "Something happened");
    let cursor = page["next_cursor"].as_str().unwrap();
    assert_eq!(
        event_ids(&app, &admin.token, &format!("limit=2&cursor={cursor}")).await,
        [opened.as_str()]
    );

    for bad in [
        "type=Not%20A%20Type",
        "min_severity=urgent",
        "since=yesterday",
        "cursor=nope",
        "limit=500",
    ] {
        let status = app.get_as(&admin.token, &format!("/v1/events?{bad}")).await.status();
        assert!(status == 400 || status == 422, "{bad}: {status}");
    }
}

#[tokio::test]
async fn a_tenant_never_sees_another_tenants_events() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.admin_of("acme").await, app.admin_of("umbrella").await);
    let mine = emit_event(&app, a.tenant, "surface.port_opened", Severity::High).await;
    emit_event(&app, b.tenant, "surface.port_opened", Severity::High).await;
    assert_eq!(event_ids(&app, &a.token, "").await, [mine.as_str()]);
    assert_eq!(event_ids(&app, &b.token, "").await.len(), 1);
    assert!(!event_ids(&app, &b.token, "").await.contains(&mine));
}

#[tokio::test]
async fn an_event_gets_one_delivery_per_enabled_channel_whose_filters_match() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let hook = |name: &str, extra: Value| {
        let mut body = json!({"name": name, "kind": "webhook", "url": "http://127.0.0.1:9/"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let all = create_channel(&app, &admin.token, &hook("all", json!({}))).await;
    let ports = create_channel(
        &app,
        &admin.token,
        &hook("ports", json!({"event_types": ["surface.port_opened"]})),
    )
    .await;
    create_channel(&app, &admin.token, &hook("critical", json!({"min_severity": "critical"})))
        .await;
    create_channel(&app, &admin.token, &hook("off", json!({"enabled": false}))).await;
    create_channel(&app, &admin.token, &hook("alerts", json!({"event_types": ["alerts.created"]})))
        .await;

    let event = emit_event(&app, admin.tenant, "surface.port_opened", Severity::High).await;
    let page: Value = app
        .get_as(&admin.token, &format!("/v1/deliveries?event_id={event}"))
        .await
        .json()
        .await
        .unwrap();
    let mut channels: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["channel_id"].as_str().unwrap())
        .collect();
    channels.sort();
    let mut expected = vec![all["id"].as_str().unwrap(), ports["id"].as_str().unwrap()];
    expected.sort();
    assert_eq!(channels, expected);
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["status"] == "pending" && d["attempts"] == 0)
    );
}

#[tokio::test]
async fn reading_events_needs_events_view_and_a_credential() {
    let app = TestApp::spawn().await;
    let tenant = app.tenant("acme").await;
    let analyst = app.member(tenant, "l1@acme.test", Role::SOC_ANALYST_L1).await;
    let executive = app.member(tenant, "ceo@acme.test", Role::EXECUTIVE_READONLY).await;
    assert_eq!(app.get_as(&analyst.token, "/v1/events").await.status(), 200);
    assert_eq!(app.get_as(&analyst.token, "/v1/deliveries").await.status(), 200);
    let refused = app.get_as(&executive.token, "/v1/events").await;
    assert_eq!(refused.status(), 403);
    assert_eq!(refused.json::<Value>().await.unwrap()["code"], "FORBIDDEN");
    assert_eq!(app.get_as(&executive.token, "/v1/deliveries").await.status(), 403);
    assert_eq!(app.get("/v1/events").await.status(), 401);
}
