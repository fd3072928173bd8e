//! HTTP tests of /v1/tenants: creating (with its role matrix and platform audit row), listing,
//! reading, updating, suspending and restoring tenants, and who may do it. Tenants are global
//! rows, so there is no cross-tenant 404 here; a non-administrator gets 403 instead.

use platform::access::Role;
use reqwest::Method;
use serde_json::{Value, json};
use testapp::TestApp;
use uuid::Uuid;

/// `(action, summary)` of the platform-scope audit rows about `tenant`, oldest first.
async fn platform_audit(app: &TestApp, tenant: &str) -> Vec<(String, Value)> {
    sqlx::query_as(
        "select action, summary from audit_log
          where tenant_id = '00000000-0000-0000-0000-000000000000' and target_id = $1 order by seq",
    )
    .bind(tenant)
    .fetch_all(&app.db.superuser().await)
    .await
    .unwrap()
}

async fn create(app: &TestApp, token: &str, name: &str, slug: &str) -> reqwest::Response {
    app.post_as(token, "/v1/tenants", &json!({ "name": name, "slug": slug })).await
}

async fn created(app: &TestApp, token: &str, name: &str, slug: &str) -> Value {
    let response = create(app, token, name, slug).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn login_status(app: &TestApp, email: &str, password: &str, tenant: &str) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/v1/auth/login"))
        .json(&json!({ "email": email, "password": password, "tenant": tenant }))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn an_admin_creates_a_tenant_with_its_role_matrix_and_one_platform_audit_row() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let tenant = created(&app, &admin, "Acme Corp", "acme").await;
    assert_eq!(tenant["name"], "Acme Corp");
    assert_eq!(tenant["slug"], "acme");
    assert_eq!(tenant["status"], "active");
    assert_eq!(tenant["settings"], json!({}));
    assert!(tenant["created_at"].as_str().unwrap().contains('T'));
    assert!(tenant["updated_at"].is_string());
    let id = tenant["id"].as_str().unwrap();

    let audit = platform_audit(&app, id).await;
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0].0, "tenant.create");
    assert_eq!(audit[0].1["slug"], "acme");

    let roles: i64 = sqlx::query_scalar(
        "select count(distinct role) from role_permissions where tenant_id = $1",
    )
    .bind(Uuid::parse_str(id).unwrap())
    .fetch_one(&app.db.superuser().await)
    .await
    .unwrap();
    assert_eq!(roles, 8);

    let fetched: Value =
        app.get_as(&admin, &format!("/v1/tenants/{id}")).await.json().await.unwrap();
    assert_eq!(fetched, tenant);
}

#[tokio::test]
async fn a_taken_slug_answers_409_slug_taken_and_creates_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    created(&app, &admin, "Acme", "acme").await;
    let response = create(&app, &admin, "Acme again", "acme").await;
    assert_eq!(response.status(), 409);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "SLUG_TAKEN");
    let count: i64 = sqlx::query_scalar("select count(*) from tenants where name = 'Acme again'")
        .fetch_one(&app.db.superuser().await)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn an_invalid_slug_or_name_answers_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    for (name, slug, field) in
        [("Acme", "Not A Slug", "slug"), ("Acme", "-acme", "slug"), ("  ", "acme", "name")]
    {
        let response = create(&app, &admin, name, slug).await;
        assert_eq!(response.status(), 422, "{name:?} {slug:?}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["code"], "VALIDATION_FAILED");
        assert_eq!(problem["errors"][0]["field"], field);
    }
}

#[tokio::test]
async fn the_list_pages_by_cursor_and_filters_by_status() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let first = created(&app, &admin, "First", "first").await;
    created(&app, &admin, "Second", "second").await;

    // The default tenant plus two new ones, one per page.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/tenants?limit=1&cursor={c}"),
            None => "/v1/tenants?limit=1".to_string(),
        };
        let page: Value = app.get_as(&admin, &path).await.json().await.unwrap();
        assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
        seen.push(page["items"][0]["slug"].as_str().unwrap().to_string());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, ["default", "first", "second"]);

    let id = first["id"].as_str().unwrap();
    assert_eq!(
        app.post_as(&admin, &format!("/v1/tenants/{id}/suspend"), &json!({})).await.status(),
        200
    );
    let suspended: Value =
        app.get_as(&admin, "/v1/tenants?status=suspended").await.json().await.unwrap();
    assert_eq!(suspended["items"].as_array().unwrap().len(), 1);
    assert_eq!(suspended["items"][0]["slug"], "first");
    assert_eq!(suspended["next_cursor"], Value::Null);
    let active: Value = app.get_as(&admin, "/v1/tenants?status=active").await.json().await.unwrap();
    assert_eq!(active["items"].as_array().unwrap().len(), 2);

    let bad_cursor = app.get_as(&admin, "/v1/tenants?cursor=nonsense").await;
    assert_eq!(bad_cursor.status(), 400);
    assert_eq!(bad_cursor.json::<Value>().await.unwrap()["code"], "INVALID_CURSOR");
    assert_eq!(app.get_as(&admin, "/v1/tenants?status=deleted").await.status(), 400);
    assert_eq!(app.get_as(&admin, "/v1/tenants?limit=0").await.status(), 422);
}

#[tokio::test]
async fn an_unknown_or_malformed_tenant_id_answers_404() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    for path in [format!("/v1/tenants/{}", Uuid::now_v7()), "/v1/tenants/not-a-uuid".to_string()] {
        let response = app.get_as(&admin, &path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(response.json::<Value>().await.unwrap()["code"], "NOT_FOUND");
    }
    let suspend =
        app.post_as(&admin, &format!("/v1/tenants/{}/suspend", Uuid::now_v7()), &json!({})).await;
    assert_eq!(suspend.status(), 404);
}

#[tokio::test]
async fn a_tenant_admin_who_is_not_a_global_admin_is_refused_with_403() {
    let app = TestApp::spawn().await;
    let tenant = app.tenant("customer").await;
    let member = app.member(tenant, "owner@customer.test", Role::TENANT_ADMIN).await;
    let response = create(&app, &member.token, "Mine", "mine").await;
    assert_eq!(response.status(), 403);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "FORBIDDEN");
    assert_eq!(app.get_as(&member.token, "/v1/tenants").await.status(), 403);
    let own =
        app.post_as(&member.token, &format!("/v1/tenants/{tenant}/suspend"), &json!({})).await;
    assert_eq!(own.status(), 403);
}

#[tokio::test]
async fn without_a_token_every_tenant_route_answers_401() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/v1/tenants").await.status(), 401);
    let response = app
        .client
        .post(app.url("/v1/tenants"))
        .json(&json!({"name": "X", "slug": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "UNAUTHENTICATED");
}

#[tokio::test]
async fn an_update_changes_name_slug_and_settings_with_one_audit_row() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let tenant = created(&app, &admin, "Acme", "acme").await;
    created(&app, &admin, "Other", "other").await;
    let id = tenant["id"].as_str().unwrap();
    let path = format!("/v1/tenants/{id}");

    let body = json!({ "name": "Acme Ltd", "settings": { "timezone": "Europe/Paris" } });
    let response = app.send_as(Method::PATCH, &admin, &path, &body).await;
    assert_eq!(response.status(), 200);
    let updated: Value = response.json().await.unwrap();
    assert_eq!(updated["name"], "Acme Ltd");
    assert_eq!(updated["slug"], "acme");
    assert_eq!(updated["settings"]["timezone"], "Europe/Paris");
    let audit = platform_audit(&app, id).await;
    assert_eq!(
        audit.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(),
        ["tenant.create", "tenant.update"]
    );
    assert_eq!(audit[1].1["fields"], json!(["name", "settings"]));
    assert!(
        !audit[1].1.to_string().contains("Europe/Paris"),
        "settings are not copied into the log"
    );

    // Sending what is already stored changes nothing and writes no row.
    assert_eq!(app.send_as(Method::PATCH, &admin, &path, &body).await.status(), 200);
    assert_eq!(platform_audit(&app, id).await.len(), 2);

    let taken = app.send_as(Method::PATCH, &admin, &path, &json!({ "slug": "other" })).await;
    assert_eq!(taken.status(), 409);
    assert_eq!(taken.json::<Value>().await.unwrap()["code"], "SLUG_TAKEN");
    let renamed = app.send_as(Method::PATCH, &admin, &path, &json!({ "slug": "acme-ltd" })).await;
    assert_eq!(renamed.json::<Value>().await.unwrap()["slug"], "acme-ltd");

    let too_big = json!({ "settings": { "blob": "x".repeat(17 * 1024) } });
    for bad in [json!({ "settings": [1, 2] }), too_big, json!({ "slug": "Bad Slug" })] {
        let response = app.send_as(Method::PATCH, &admin, &path, &bad).await;
        assert_eq!(response.status(), 422, "{bad}");
        let field = response.json::<Value>().await.unwrap()["errors"][0]["field"].clone();
        assert!(field == "settings" || field == "slug", "{field}");
    }
    assert_eq!(platform_audit(&app, id).await.len(), 3);
}

#[tokio::test]
async fn a_suspended_tenants_users_cannot_log_in_and_their_tokens_stop_at_once_until_restored() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let tenant = created(&app, &admin, "Customer", "customer").await;
    let id = tenant["id"].as_str().unwrap().to_string();
    let member =
        app.member(id.parse().unwrap(), "analyst@customer.test", Role::SOC_ANALYST_L1).await;
    assert_eq!(app.get_as(&member.token, "/v1/auth/me").await.status(), 200);

    let response = app.post_as(&admin, &format!("/v1/tenants/{id}/suspend"), &json!({})).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["status"], "suspended");

    let (status, problem) = login_status(&app, &member.email, &member.password, &id).await;
    assert_eq!(status, 401);
    assert_eq!(problem["code"], "INVALID_CREDENTIALS");
    assert_eq!(app.get_as(&member.token, "/v1/auth/me").await.status(), 401);

    // Suspending again is idempotent and writes no second row.
    let again = app.post_as(&admin, &format!("/v1/tenants/{id}/suspend"), &json!({})).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap()["status"], "suspended");

    let restored = app.post_as(&admin, &format!("/v1/tenants/{id}/restore"), &json!({})).await;
    assert_eq!(restored.status(), 200);
    assert_eq!(restored.json::<Value>().await.unwrap()["status"], "active");
    let (status, _) = login_status(&app, &member.email, &member.password, &id).await;
    assert_eq!(status, 200);
    assert_eq!(app.get_as(&member.token, "/v1/auth/me").await.status(), 200);

    let audit = platform_audit(&app, &id).await;
    let actions: Vec<&str> = audit.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(actions, ["tenant.create", "tenant.suspend", "tenant.restore"]);
}

#[tokio::test]
async fn an_admin_cannot_suspend_the_tenant_they_are_logged_in_to() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let me: Value = app.get_as(&admin, "/v1/auth/me").await.json().await.unwrap();
    let home = me["tenant"]["id"].as_str().unwrap();
    let response = app.post_as(&admin, &format!("/v1/tenants/{home}/suspend"), &json!({})).await;
    assert_eq!(response.status(), 403);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "FORBIDDEN");
    let tenant: Value =
        app.get_as(&admin, &format!("/v1/tenants/{home}")).await.json().await.unwrap();
    assert_eq!(tenant["status"], "active");
    assert_eq!(app.get_as(&admin, "/v1/auth/me").await.status(), 200);
}
