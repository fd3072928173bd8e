//! HTTP tests of /v1/users: listing and tenant isolation, and the audit rows each change writes.
//! Role changes, blocking, soft-deleting, restoring and protected administrators are in
//! `users/lifecycle.rs`; joining a tenant is in `invitations.rs`.

mod lifecycle;

use platform::access::Role;
use platform::{TenantId, UserId};
use reqwest::Method;
use serde_json::{Value, json};
use testapp::{MEMBER_PASSWORD, TestApp};

/// The status of a login attempt (`TestApp::login` insists on success).
async fn login_status(app: &TestApp, email: &str, password: &str, tenant: TenantId) -> u16 {
    let body = json!({ "email": email, "password": password, "tenant": tenant.to_string() });
    let response = app.client.post(app.url("/v1/auth/login")).json(&body).send().await.unwrap();
    response.status().as_u16()
}

/// The `user.*` audit actions written in `tenant` about `user`.
async fn user_audit(app: &TestApp, tenant: TenantId, user: &str) -> Vec<String> {
    sqlx::query_scalar(
        "select action from audit_log
          where tenant_id = $1 and target_id = $2 and action like 'user.%' order by seq",
    )
    .bind(tenant)
    .bind(user)
    .fetch_all(&app.db.superuser().await)
    .await
    .unwrap()
}

async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn patch(
    app: &TestApp,
    token: &str,
    user: impl std::fmt::Display,
    body: Value,
) -> (u16, Value) {
    json_of(app.send_as(Method::PATCH, token, &format!("/v1/users/{user}"), &body).await).await
}

async fn action(
    app: &TestApp,
    token: &str,
    user: impl std::fmt::Display,
    verb: &str,
) -> (u16, Value) {
    json_of(app.post_as(token, &format!("/v1/users/{user}/{verb}"), &json!({})).await).await
}

async fn delete(app: &TestApp, token: &str, user: impl std::fmt::Display) -> (u16, Value) {
    let path = format!("/v1/users/{user}");
    json_of(app.client.delete(app.url(&path)).bearer_auth(token).send().await.unwrap()).await
}

fn id_of(user: UserId) -> String {
    user.to_string()
}

#[tokio::test]
async fn a_tenant_sees_only_its_own_members_and_another_tenants_user_is_not_found() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.tenant("alpha").await, app.tenant("beta").await);
    let boss = app.member(a, "boss@alpha.test", Role::TENANT_ADMIN).await;
    let alice = app.member(a, "alice@alpha.test", Role::SOC_ANALYST_L1).await;
    let bob = app.member(b, "bob@beta.test", Role::TENANT_ADMIN).await;

    let (status, page) = json_of(app.get_as(&bob.token, "/v1/users").await).await;
    assert_eq!(status, 200);
    let emails: Vec<&str> =
        page["items"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["bob@beta.test"]);

    let alice_path = format!("/v1/users/{}", alice.user);
    assert_eq!(json_of(app.get_as(&bob.token, &alice_path).await).await.1["code"], "NOT_FOUND");
    assert_eq!(
        patch(&app, &bob.token, alice.user, json!({ "role": "SOC_ANALYST_L2" })).await.0,
        404
    );
    assert_eq!(action(&app, &bob.token, alice.user, "block").await.0, 404);
    assert_eq!(action(&app, &bob.token, alice.user, "restore").await.0, 404);
    assert_eq!(delete(&app, &bob.token, alice.user).await.0, 404);
    assert_eq!(
        login_status(&app, &alice.email, MEMBER_PASSWORD, a).await,
        200,
        "alice is untouched"
    );
    assert!(user_audit(&app, b, &id_of(alice.user)).await.is_empty());
    assert_eq!(json_of(app.get_as(&boss.token, "/v1/users/not-a-uuid").await).await.0, 404);

    // Keyset pages of one member each walk the whole tenant once.
    let mut seen = Vec::new();
    let mut path = "/v1/users?limit=1".to_string();
    loop {
        let (_, page) = json_of(app.get_as(&boss.token, &path).await).await;
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["email"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/v1/users?limit=1&cursor={cursor}"),
            None => break,
        }
    }
    seen.sort();
    assert_eq!(seen, ["alice@alpha.test", "boss@alpha.test"]);
    let (status, body) = json_of(app.get_as(&boss.token, "/v1/users?cursor=garbage").await).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("INVALID_CURSOR")));
}

#[tokio::test]
async fn the_list_filters_by_role_and_membership_status() {
    let app = TestApp::spawn().await;
    let acme = app.tenant("acme").await;
    let boss = app.member(acme, "boss@acme.test", Role::TENANT_ADMIN).await;
    let gone = app.member(acme, "gone@acme.test", Role::SOC_ANALYST_L1).await;
    assert_eq!(delete(&app, &boss.token, gone.user).await.0, 204);
    let emails = |page: Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["email"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, admins) = json_of(app.get_as(&boss.token, "/v1/users?role=TENANT_ADMIN").await).await;
    assert_eq!(emails(admins), ["boss@acme.test"]);
    let (_, deleted) = json_of(app.get_as(&boss.token, "/v1/users?status=deleted").await).await;
    assert_eq!(emails(deleted), ["gone@acme.test"]);
    let (status, body) = json_of(app.get_as(&boss.token, "/v1/users?status=sleeping").await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("status")));
}
