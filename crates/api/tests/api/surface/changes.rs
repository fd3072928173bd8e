//! `/v1/changes`: filters by asset, type, severity, acknowledgement and time, cursor pages, one
//! change, and acknowledgement (audited once); hostile query strings answer 4xx.

use super::peers::{self, LaterPort};
use super::{Site, authorized_ip, id, scan};
use serde_json::{Value, json};
use testapp::ResponseExt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_are_filtered_paged_and_acknowledged_once() {
    let site = Site::start().await;
    let (ssh, _) = peers::ssh_listener(site.ip).await;
    let (mut one, mut two) = (LaterPort::reserve(site.ip), LaterPort::reserve(site.ip));
    let app = site.app().await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let ports = format!("{ssh},{},{}", one.port, two.port);
    let asset = authorized_ip(&app, &admin.token, &site, &ports).await;
    assert_eq!(scan(&app, &admin.token, &id(&asset)).await["changes"], 0);
    one.open();
    two.open();
    assert_eq!(scan(&app, &admin.token, &id(&asset)).await["changes"], 2);

    let get = |query: &str| {
        let path = format!("/v1/changes?{query}");
        let app = &app;
        let token = admin.token.clone();
        async move { app.get_as(&token, &path).await }
    };
    let count = |page: &Value| page["items"].as_array().unwrap().len();
    let asset_id = id(&asset);
    for (query, expected) in [
        (format!("asset_id={asset_id}"), 2),
        (format!("asset_id={}", uuid::Uuid::now_v7()), 0),
        ("type=PORT_OPENED".into(), 2),
        ("type=HOST_NEW,CERT_ROTATED".into(), 0),
        ("severity=high".into(), 2),
        ("severity=info,low".into(), 0),
        ("min_severity=critical".into(), 0),
        ("acked=false".into(), 2),
        ("acked=true".into(), 0),
        ("since=2000-01-01T00:00:00Z&until=9999-12-31T23:59:59Z".into(), 2),
        ("since=9999-01-01T00:00:00Z".into(), 0),
    ] {
        let page: Value = get(&query).await.expect_json(200).await;
        assert_eq!(count(&page), expected, "{query}");
    }

    let first: Value = get("limit=1").await.expect_json(200).await;
    assert_eq!(count(&first), 1);
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    let second: Value = get(&format!("limit=1&cursor={cursor}")).await.expect_json(200).await;
    assert_eq!(count(&second), 1);
    assert!(second["next_cursor"].is_null());
    assert_ne!(first["items"][0]["id"], second["items"][0]["id"]);

    let change = &first["items"][0];
    let shown: Value = app
        .get_as(&admin.token, &format!("/v1/changes/{}", id(change)))
        .await
        .expect_json(200)
        .await;
    assert_eq!(shown["type"], "PORT_OPENED");
    assert!(shown["event_id"].is_string());
    let ack = format!("/v1/changes/{}/ack", id(change));
    let acked: Value = app.post_as(&admin.token, &ack, &json!({})).await.expect_json(200).await;
    assert_eq!(acked["acked_by"], admin.user.to_string());
    let again: Value = app.post_as(&admin.token, &ack, &json!({})).await.expect_json(200).await;
    assert_eq!(again["acked_at"], acked["acked_at"], "the first acknowledgement stays");
    assert_eq!(app.audit_summaries("change.ack").await.len(), 1);
    assert_eq!(count(&get("acked=true").await.expect_json(200).await), 1);
    assert_eq!(count(&get("acked=false").await.expect_json(200).await), 1);
}

#[tokio::test]
async fn hostile_change_queries_answer_4xx() {
    let site = Site::start().await;
    let app = site.app().await;
    let admin = app.admin_of("acme").await;
    for (query, status) in [
        ("type=PORT_OPEN", 400),
        ("type=PORT_OPENED,,", 400),
        ("severity=urgent", 400),
        ("min_severity=9", 400),
        ("acked=maybe", 400),
        ("asset_id=not-a-uuid", 400),
        ("since=10000-01-01T00:00:00Z", 400),
        ("since=yesterday", 400),
        ("until=-0001-01-01T00:00:00Z", 400),
        ("since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z", 400),
        ("cursor=%%%", 400),
        ("cursor=eyJ2IjoxLCJrIjoxfQ", 400),
        (
            "cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            400,
        ),
        ("limit=99999999999999999999", 400),
        ("limit=0", 422),
        ("limit=201", 422),
        ("type=%00", 400),
        ("color=red", 400),
    ] {
        let response = app.get_as(&admin.token, &format!("/v1/changes?{query}")).await;
        assert_eq!(response.status().as_u16(), status, "{query}");
        let _ = response.problem().await;
    }
    for path in ["/v1/changes/not-a-uuid", "/v1/scans/12345", "/v1/snapshots/%00"] {
        assert_eq!(app.get_as(&admin.token, path).await.status(), 404, "{path}");
    }
}
