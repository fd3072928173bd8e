//! Liveness, readiness, metrics, request ids, security headers and the OpenAPI document.

use platform::Db;
use sqlx::postgres::PgConnectOptions;
use testapp::TestApp;

#[tokio::test]
async fn healthz_and_readyz_answer_200_on_a_migrated_database() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<serde_json::Value>().await.unwrap()["status"], "ready");
}

#[tokio::test]
async fn readyz_answers_503_when_a_migration_is_missing() {
    let app = TestApp::spawn().await;
    let superuser = app.db.superuser().await;
    sqlx::query(
        "delete from _sqlx_migrations where version = (select max(version) from _sqlx_migrations)",
    )
    .execute(&superuser)
    .await
    .unwrap();
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    let problem: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "SERVICE_UNAVAILABLE");
    assert!(problem["detail"].as_str().unwrap().contains("palisade migrate"));
}

#[tokio::test]
async fn readyz_answers_503_when_a_job_queue_migration_is_missing() {
    let app = TestApp::spawn().await;
    let superuser = app.db.superuser().await;
    sqlx::query("delete from graphile_worker.migrations where id = (select max(id) from graphile_worker.migrations)")
        .execute(&superuser)
        .await
        .unwrap();
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    let problem: serde_json::Value = response.json().await.unwrap();
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("job queue migration") && detail.contains("palisade migrate"),
        "{detail}"
    );
}

#[tokio::test]
async fn readyz_answers_503_when_the_database_is_unreachable() {
    let app = TestApp::spawn().await;
    let mut state = app.state.clone();
    state.services.db =
        Db::connect_lazy(PgConnectOptions::new().socket("/nonexistent").username("x"), 1);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, api::router(state)).await.unwrap() });
    let response = reqwest::get(format!("http://{address}/readyz")).await.unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    // Liveness does not depend on the database.
    assert_eq!(reqwest::get(format!("http://{address}/healthz")).await.unwrap().status(), 200);
}

#[tokio::test]
async fn metrics_with_a_token_answer_only_that_bearer() {
    let app = TestApp::spawn_with(|s| {
        s.http.metrics_token = Some(platform::Secret::new("scrape-me-0123456789".into()));
    })
    .await;
    let bare = app.get("/metrics").await;
    assert_eq!(bare.status(), 401);
    let wrong = app.get_as("scrape-me-9876543210", "/metrics").await;
    assert_eq!(wrong.status(), 401);
    let scraped = app.get_as("scrape-me-0123456789", "/metrics").await;
    assert_eq!(scraped.status(), 200);
    assert!(scraped.text().await.unwrap().contains("# EOF"));
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_status() {
    let app = TestApp::spawn().await;
    app.get("/healthz").await;
    app.get("/no/such/path").await;
    let response = app.get("/metrics").await;
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("application/openmetrics-text"), "{content_type}");
    let text = response.text().await.unwrap();
    assert!(
        text.contains(
            r#"palisade_http_requests_total{method="GET",route="/healthz",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(text.contains(r#"route="unmatched",status="404""#), "{text}");
    assert!(text.contains("palisade_http_request_duration_seconds_bucket"), "{text}");
    assert!(text.contains("palisade_db_pool_connections"), "{text}");
}

#[tokio::test]
async fn a_well_formed_request_id_is_echoed_and_kept_in_the_audit_row() {
    let app = TestApp::spawn().await;
    let echoed = app.client.get(app.url("/healthz")).header("x-request-id", "lb-42.abc");
    assert_eq!(echoed.send().await.unwrap().headers()["x-request-id"], "lb-42.abc");

    let token = app.admin_token().await;
    let body = serde_json::json!({ "name": "Acme", "slug": "acme" });
    let create = app.client.post(app.url("/v1/tenants")).bearer_auth(&token).json(&body);
    let created = create.header("x-request-id", "proxy_7.f00").send().await.unwrap();
    assert_eq!(created.status(), 201);
    let kept: Option<String> = sqlx::query_scalar(
        "select request_id from audit_log where action = 'tenant.create' and summary->>'slug' = 'acme'",
    )
    .fetch_one(&app.db.superuser().await)
    .await
    .unwrap();
    assert_eq!(kept.as_deref(), Some("proxy_7.f00"));
}

#[tokio::test]
async fn a_long_or_odd_request_id_is_replaced_by_a_fresh_one() {
    let app = TestApp::spawn().await;
    let too_long = "a".repeat(65);
    for sent in ["bad id <script>", "a/b", "ids:with:colons", too_long.as_str(), "caf\u{e9}"] {
        let request = app.client.get(app.url("/healthz")).header("x-request-id", sent);
        let replaced = request.send().await.unwrap();
        let id = replaced.headers()["x-request-id"].to_str().unwrap();
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{sent:?} gave {id}");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/healthz", "/nowhere"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["content-security-policy"], "default-src 'self'");
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert!(headers["strict-transport-security"].to_str().unwrap().starts_with("max-age="));
    }
}

#[tokio::test]
async fn hsts_is_not_sent_when_tls_is_terminated_elsewhere() {
    let app = TestApp::spawn_with(|config| config.http.https = false).await;
    assert!(app.get("/healthz").await.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_lists_the_routes() {
    let app = TestApp::spawn().await;
    let doc: serde_json::Value = app.get("/v1/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in ["/healthz", "/readyz", "/metrics"] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing from the OpenAPI document");
    }
    assert!(doc["components"]["schemas"].get("Problem").is_some());
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_binary() {
    let app = TestApp::spawn().await;
    let page = app.get("/docs/").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("swagger"));
    let bundle = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status(), 200);
    assert!(bundle.bytes().await.unwrap().len() > 100_000);
}
