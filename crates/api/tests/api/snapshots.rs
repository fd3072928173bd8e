//! Snapshots of what clients depend on: the whole OpenAPI document (so that a route change is a
//! reviewed diff) and a few representative response bodies, with ids, times, tokens and request
//! ids redacted. `cargo insta review` accepts a deliberate change.

use insta::assert_json_snapshot;
use platform::access::Role;
use serde_json::{Value, json};
use testapp::TestApp;

#[test]
fn the_openapi_document() {
    let (_, openapi) = api::router::api_parts();
    let mut doc = serde_json::to_value(&openapi).unwrap();
    doc["info"]["version"] = json!("[version]");
    assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn a_not_found_problem() {
    let app = TestApp::spawn().await;
    let body: Value = app.get("/v1/nothing-here").await.json().await.unwrap();
    assert_json_snapshot!("problem_not_found", body, { ".request_id" => "[request id]" });
}

#[tokio::test]
async fn a_validation_problem_names_each_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let request = json!({"email": "nope", "role": "SOC_ANALYST_L1"});
    let body: Value =
        app.post_as(&admin.token, "/v1/invitations", &request).await.json().await.unwrap();
    assert_json_snapshot!("problem_validation", body, { ".request_id" => "[request id]" });
}

#[tokio::test]
async fn a_login_answer() {
    let app = TestApp::spawn().await;
    let tenant = app.tenant("acme").await;
    let member = app.member(tenant, "dana@acme.test", Role::SOC_ANALYST_L1).await;
    let body = app.login(&member.email, &member.password, None).await;
    assert_json_snapshot!("login", body, {
        ".access_token" => "[access token]",
        ".refresh_token" => "[refresh token]",
    });
}

#[tokio::test]
async fn a_page_of_users() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    app.member(admin.tenant, "dana@acme.test", Role::SOC_ANALYST_L1).await;
    let body: Value = app.get_as(&admin.token, "/v1/users?limit=1").await.json().await.unwrap();
    assert_json_snapshot!("users_page", body, {
        ".items[].id" => "[user id]",
        ".items[].created_at" => "[time]",
        ".next_cursor" => "[cursor]",
    });
}

#[tokio::test]
async fn a_webhook_channel_as_created() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let body = json!({"name": "SOC hook", "kind": "webhook", "url": "http://127.0.0.1:9/hook"});
    let created: Value =
        app.post_as(&admin.token, "/v1/channels", &body).await.json().await.unwrap();
    assert_json_snapshot!("channel_created", created, {
        ".id" => "[channel id]",
        ".created_at" => "[time]",
        ".updated_at" => "[time]",
        ".secret" => "[secret]",
    });
}
