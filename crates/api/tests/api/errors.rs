//! Every error a client can cause is RFC 9457 problem+json with a stable code and the request id.

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use edge::AppState;
use serde_json::Value;
use std::time::Duration;
use testapp::TestApp;

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_string();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert_eq!(body["request_id"], request_id.as_str());
    assert_eq!(body["type"], format!("urn:palisade:error:{}", body["code"].as_str().unwrap()));
    assert!(body["title"].is_string() && body["detail"].is_string());
    (status, body)
}

#[tokio::test]
async fn an_unknown_route_is_a_404_problem() {
    let app = TestApp::spawn().await;
    let (status, body) = problem(app.get("/v1/nothing-here").await).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("NOT_FOUND")));
}

#[tokio::test]
async fn a_wrong_method_is_a_405_problem_that_keeps_allow() {
    let app = TestApp::spawn().await;
    let response = app.client.delete(app.url("/healthz")).send().await.unwrap();
    assert!(response.headers()["allow"].to_str().unwrap().contains("GET"));
    let (status, body) = problem(response).await;
    assert_eq!((status, body["code"].as_str()), (405, Some("METHOD_NOT_ALLOWED")));
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_problem() {
    let app = TestApp::spawn_with(|config| config.http.body_limit_bytes = 1024).await;
    let response =
        app.client.post(app.url("/healthz")).body(vec![b'x'; 4096]).send().await.unwrap();
    let (status, body) = problem(response).await;
    assert_eq!((status, body["code"].as_str()), (413, Some("PAYLOAD_TOO_LARGE")));
}

#[tokio::test]
async fn a_request_that_runs_too_long_is_abandoned_with_a_503_problem() {
    let app = TestApp::spawn().await;
    let mut state: AppState = app.state.clone();
    state.http.request_timeout = Duration::from_millis(100);
    let slow = Router::new()
        .route("/slow", get(|| async { tokio::time::sleep(Duration::from_secs(5)).await }))
        .layer(from_fn_with_state(state.clone(), edge::middleware::timeout::layer))
        .layer(axum::middleware::from_fn(edge::middleware::request_id::layer));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, slow).await.unwrap() });

    let response = reqwest::get(format!("http://{address}/slow")).await.unwrap();
    let (status, body) = problem(response).await;
    assert_eq!((status, body["code"].as_str()), (503, Some("REQUEST_TIMEOUT")));
}

#[tokio::test]
async fn a_nul_character_in_a_json_string_is_a_400_even_before_login() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/v1/auth/login"))
        .header("content-type", "application/json")
        .body(r#"{"email": "a\u0000b@x.test", "password": "whatever-long-enough"}"#)
        .send()
        .await
        .unwrap();
    let (status, body) = problem(response).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("INVALID_JSON")));
}

#[tokio::test]
async fn hostile_query_values_are_400s_never_500s() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let channel = uuid::Uuid::new_v4();
    for (path, code) in [
        ("/v1/audit-log?action=a%00b", "INVALID_QUERY"),
        ("/v1/audit-log?since=-100000-01-01T00:00:00Z", "INVALID_QUERY"),
        ("/v1/audit-log?until=99999-01-01T00:00:00Z", "INVALID_QUERY"),
        ("/v1/events?since=0000-12-31T00:00:00Z", "INVALID_QUERY"),
        (&format!("/v1/deliveries?cursor=-8000000000000000000_{channel}"), "INVALID_CURSOR"),
        (
            "/v1/deliveries?cursor=eyJ2IjoxLCJrIjpbIi0xMDAwMDAtMDEtMDFUMDA6MDA6MDBaIiwiMCJdfQ",
            "INVALID_CURSOR",
        ),
        ("/v1/channels?colour=blue", "INVALID_QUERY"),
        ("/v1/users?limit=99999999999999999999", "INVALID_QUERY"),
    ] {
        let (status, body) = problem(app.get_as(&admin, path).await).await;
        assert_eq!((status, body["code"].as_str()), (400, Some(code)), "{path}");
    }
}

#[tokio::test]
async fn a_nul_character_in_tenant_settings_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let tenant = app.tenant("acme").await;
    let response = app
        .client
        .patch(app.url(&format!("/v1/tenants/{tenant}")))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body(r#"{"settings": {"note": "a\u0000b"}}"#)
        .send()
        .await
        .unwrap();
    let (status, _) = problem(response).await;
    assert_eq!(status, 400);
    let settings: Value = app
        .get_as(&admin, &format!("/v1/tenants/{tenant}"))
        .await
        .json::<Value>()
        .await
        .unwrap()["settings"]
        .clone();
    assert_eq!(settings, serde_json::json!({}));
}
