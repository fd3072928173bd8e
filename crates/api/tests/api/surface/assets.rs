//! Registering assets: values are normalized and unique per tenant, what the SSRF guard denies
//! is refused unless the operator allowlists it, hostile input gets a 4xx that changes nothing,
//! and one role down is refused.

use super::{Site, create_asset, id};
use platform::access::Role;
use serde_json::{Value, json};
use testapp::{ResponseExt, TestApp};

#[tokio::test]
async fn values_are_normalized_and_a_duplicate_answers_409() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let cases = [
        ("domain", "Bücher.Example.TEST.", "xn--bcher-kva.example.test"),
        ("ip", "::ffff:127.9.9.9", "127.9.9.9"),
        ("cidr", "127.10.0.0/24", "127.10.0.0/24"),
    ];
    for (kind, given, stored) in cases {
        let asset = create_asset(&app, &admin.token, &json!({"kind": kind, "value": given})).await;
        assert_eq!(
            (asset["value"].as_str(), asset["status"].as_str()),
            (Some(stored), Some("pending"))
        );
        assert_eq!(asset["ports"], "top-1000");
        let again =
            app.post_as(&admin.token, "/v1/assets", &json!({"kind": kind, "value": stored})).await;
        let problem = again.problem().await;
        assert_eq!((problem.status, problem.code.as_str()), (409, "ASSET_EXISTS"), "{given}");
    }
    // Another tenant may monitor the same value.
    let other = app.admin_of("globex").await;
    create_asset(&app, &other.token, &json!({"kind": "ip", "value": "127.9.9.9"})).await;
    assert_eq!(app.audit_summaries("asset.create").await.len(), 4);
}

#[tokio::test]
async fn values_the_outbound_guard_denies_are_refused_unless_allowlisted() {
    let site = Site::start().await;
    site.dns.a("internal.example.test", "10.1.2.3".parse().unwrap()).await;
    site.dns.a("lab.example.test", site.ip).await;
    let app = site.app().await;
    let admin = app.admin_of("acme").await;
    let refused = [
        ("ip", "10.0.0.1"),
        ("ip", "169.254.169.254"),
        ("ip", "192.168.1.1"),
        ("cidr", "192.168.1.0/24"),
        ("cidr", "192.0.0.0/16"),
        ("domain", "internal.example.test"),
        ("domain", "metadata.google.internal"),
    ];
    for (kind, value) in refused {
        let response =
            app.post_as(&admin.token, "/v1/assets", &json!({"kind": kind, "value": value})).await;
        let problem = response.problem().await;
        assert_eq!(problem.status, 422, "{value}");
        assert_eq!(problem.errors[0].field, "value");
        assert_eq!(problem.errors[0].code, "HOST_NOT_ALLOWED", "{value}: {problem:?}");
    }
    // Loopback is on the test's allowlist; a domain resolving there is too; a public address
    // needs no allowlist; a domain that does not resolve yet is checked at scan time.
    for (kind, value) in [
        ("ip", site.ip.to_string()),
        ("domain", "lab.example.test".into()),
        ("ip", "8.8.8.8".into()),
        ("domain", "later.example.test".into()),
    ] {
        create_asset(&app, &admin.token, &json!({"kind": kind, "value": value})).await;
    }
    let page: Value = app.get_as(&admin.token, "/v1/assets").await.expect_json(200).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 4, "nothing refused was stored");
}

#[tokio::test]
async fn hostile_values_get_a_4xx_and_change_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let cases: Vec<(Value, u16, &str)> = vec![
        (json!({"kind": "ip", "value": "127.0.0.1\u{0}"}), 400, "INVALID_JSON"),
        (json!({"kind": "domain", "value": "a b.example.test"}), 422, "INVALID_DOMAIN"),
        (json!({"kind": "domain", "value": "x".repeat(100_000)}), 422, "TOO_LONG"),
        (
            json!({"kind": "domain", "value": format!("{}.test", "a".repeat(64))}),
            422,
            "INVALID_DOMAIN",
        ),
        (json!({"kind": "ip", "value": "127.000.0.1"}), 422, "INVALID_IP"),
        (json!({"kind": "ip", "value": "999999999999999999999"}), 422, "INVALID_IP"),
        (json!({"kind": "cidr", "value": "127.0.0.1/8"}), 422, "INVALID_CIDR"),
        (json!({"kind": "cidr", "value": "127.0.0.0/99"}), 422, "INVALID_CIDR"),
        (json!({"kind": "cidr", "value": "127.0.0.0/-1"}), 422, "INVALID_CIDR"),
        (json!({"kind": "cidr", "value": "127.0.0.0/15"}), 422, "CIDR_TOO_LARGE"),
        (json!({"kind": "cidr", "value": "::/0"}), 422, "CIDR_TOO_LARGE"),
        (json!({"kind": "host", "value": "127.0.0.1"}), 422, "INVALID_KIND"),
        (json!({"value": "127.0.0.1"}), 422, "REQUIRED"),
        (
            json!({"kind": "ip", "value": "127.0.0.1", "ports": "99999999999999999999"}),
            422,
            "INVALID_PORTS",
        ),
        (json!({"kind": "ip", "value": "127.0.0.1", "ports": "80-22"}), 422, "INVALID_PORTS"),
        (json!({"kind": "ip", "value": "127.0.0.1", "ports": ""}), 422, "INVALID_PORTS"),
        (json!({"kind": "ip", "value": "127.0.0.1", "ports": 22}), 400, "INVALID_JSON"),
        (json!({"kind": "cidr", "value": "127.0.0.0/16", "ports": "all"}), 422, "TOO_LARGE"),
        (json!({"kind": "ip", "value": "127.0.0.1", "tags": ["ok", "not ok"]}), 422, "INVALID_TAG"),
        (
            json!({"kind": "ip", "value": "127.0.0.1", "schedule": "* * * * *"}),
            422,
            "INVALID_SCHEDULE",
        ),
        (json!({"kind": "ip", "value": "127.0.0.1", "schedule": "1m"}), 422, "INVALID_SCHEDULE"),
        (json!({"kind": "ip", "value": "127.0.0.1", "colour": "blue"}), 400, "INVALID_JSON"),
    ];
    for (body, status, code) in cases {
        let response = app.post_as(&admin.token, "/v1/assets", &body).await;
        let problem = response.problem().await;
        let got = problem.errors.first().map_or(problem.code.clone(), |e| e.code.clone());
        assert_eq!((problem.status, got.as_str()), (status, code), "{body:.200}");
    }
    let page: Value = app.get_as(&admin.token, "/v1/assets").await.expect_json(200).await;
    assert!(page["items"].as_array().unwrap().is_empty());
    assert!(app.audit_summaries("asset.create").await.is_empty());
}

#[tokio::test]
async fn ports_tags_and_schedules_change_but_kind_and_value_never_do() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let asset = create_asset(
        &app,
        &admin.token,
        &json!({"kind": "ip", "value": "127.20.0.1", "tags": ["Prod"]}),
    )
    .await;
    assert_eq!(asset["tags"], json!(["prod"]));
    let path = format!("/v1/assets/{}", id(&asset));
    let changed: Value = app
        .send_as(
            reqwest::Method::PATCH,
            &admin.token,
            &path,
            &json!({"ports": "22, 443", "schedule": "6h", "tags": ["web"]}),
        )
        .await
        .expect_json(200)
        .await;
    assert_eq!(
        (changed["ports"].as_str(), changed["schedule"].as_str()),
        (Some("22,443"), Some("6h"))
    );
    assert!(changed["next_scan_at"].is_string());
    let unscheduled: Value = app
        .send_as(reqwest::Method::PATCH, &admin.token, &path, &json!({"schedule": ""}))
        .await
        .expect_json(200)
        .await;
    assert!(unscheduled["schedule"].is_null() && unscheduled["next_scan_at"].is_null());
    let immutable = app
        .send_as(reqwest::Method::PATCH, &admin.token, &path, &json!({"value": "127.20.0.2"}))
        .await;
    assert_eq!(immutable.problem().await.errors[0].code, "IMMUTABLE");
    // Filters.
    let tagged: Value = app
        .get_as(&admin.token, "/v1/assets?tag=web&kind=ip&status=pending")
        .await
        .expect_json(200)
        .await;
    assert_eq!(tagged["items"].as_array().unwrap().len(), 1);
    let none: Value = app.get_as(&admin.token, "/v1/assets?tag=prod").await.expect_json(200).await;
    assert!(none["items"].as_array().unwrap().is_empty());
    for bad in [
        "/v1/assets?kind=host",
        "/v1/assets?status=gone",
        "/v1/assets?tag=a%20b",
        "/v1/assets?colour=1",
        "/v1/assets?cursor=AAAA",
        "/v1/assets?tag=%00",
    ] {
        assert_eq!(app.get_as(&admin.token, bad).await.status(), 400, "{bad}");
    }
    assert_eq!(app.get_as(&admin.token, "/v1/assets?limit=0").await.status(), 422);
    // Delete.
    let deleted = app.client.delete(app.url(&path)).bearer_auth(&admin.token).send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(app.get_as(&admin.token, &path).await.status(), 404);
    assert_eq!(app.get_as(&admin.token, "/v1/assets/not-a-uuid").await.status(), 404);
}

#[tokio::test]
async fn one_role_down_is_refused_with_403() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let l1 = app.member(admin.tenant, "l1@acme.test", Role::SOC_ANALYST_L1).await;
    let exec = app.member(admin.tenant, "exec@acme.test", Role::EXECUTIVE_READONLY).await;
    let l2 = app.member(admin.tenant, "l2@acme.test", Role::SOC_ANALYST_L2).await;
    let asset = create_asset(&app, &l2.token, &json!({"kind": "ip", "value": "127.30.0.1"})).await;
    let asset_id = id(&asset);
    let body = json!({"kind": "ip", "value": "127.30.0.2"});
    assert_eq!(app.post_as(&l1.token, "/v1/assets", &body).await.problem().await.status, 403);
    for path in ["authorize", "baseline", "scans"] {
        let response =
            app.post_as(&l1.token, &format!("/v1/assets/{asset_id}/{path}"), &json!({})).await;
        assert_eq!(response.problem().await.status, 403, "{path}");
    }
    // Attesting needs the tenant administrator role on top of ASSETS_MANAGE.
    let attest = json!({"reason": "customer contract 7"});
    let refused = app.post_as(&l2.token, &format!("/v1/assets/{asset_id}/attest"), &attest).await;
    assert_eq!(refused.problem().await.status, 403);
    // Reading is allowed one role down; acknowledging is not for read-only roles.
    assert_eq!(app.get_as(&l1.token, &format!("/v1/assets/{asset_id}")).await.status(), 200);
    assert_eq!(app.get_as(&exec.token, "/v1/changes").await.status(), 200);
    let fake_change = uuid::Uuid::now_v7();
    let ack = app.post_as(&exec.token, &format!("/v1/changes/{fake_change}/ack"), &json!({})).await;
    assert_eq!(ack.problem().await.status, 403);
    let ack = app.post_as(&l1.token, &format!("/v1/changes/{fake_change}/ack"), &json!({})).await;
    assert_eq!(ack.problem().await.status, 404, "L1 may acknowledge, but there is no such change");
}
