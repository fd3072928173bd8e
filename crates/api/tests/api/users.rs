//! HTTP tests of /v1/users: adding and inviting members, validation, listing and tenant
//! isolation, and the audit rows each change writes. Role changes, blocking, soft-deleting,
//! restoring and protected administrators are in `users/lifecycle.rs`.

mod lifecycle;

use platform::access::Role;
use platform::{TenantId, UserId};
use reqwest::Method;
use serde_json::{Value, json};
use testapp::{MEMBER_PASSWORD, TestApp};

const NEW_PASSWORD: &str = "a-sturdy-new-passphrase";

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
async fn an_admin_adds_a_new_user_with_a_password_who_can_then_log_in() {
    let app = TestApp::spawn().await;
    let acme = app.tenant("acme").await;
    let boss = app.member(acme, "boss@acme.test", Role::TENANT_ADMIN).await;
    let request = json!({
        "email": "newcomer@acme.test", "role": "SOC_ANALYST_L1",
        "display_name": "New Person", "password": NEW_PASSWORD,
    });
    let (status, body) = json_of(app.post_as(&boss.token, "/v1/users", &request).await).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["email"], "newcomer@acme.test");
    assert_eq!(body["display_name"], "New Person");
    assert_eq!(body["role"], "SOC_ANALYST_L1");
    assert_eq!(body["membership_status"], "active");
    assert_eq!(body["is_protected"], false);
    assert!(body.get("password").is_none() && !body.to_string().contains(NEW_PASSWORD));
    let id = body["id"].as_str().unwrap().to_string();

    assert_eq!(login_status(&app, "newcomer@acme.test", NEW_PASSWORD, acme).await, 200);
    let shown: Value =
        app.get_as(&boss.token, &format!("/v1/users/{id}")).await.json().await.unwrap();
    assert_eq!(shown["email"], "newcomer@acme.test");
    assert_eq!(user_audit(&app, acme, &id).await, ["user.invite"]);
    let leaked: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where summary::text like '%' || $1 || '%'",
    )
    .bind(NEW_PASSWORD)
    .fetch_one(&app.db.superuser().await)
    .await
    .unwrap();
    assert_eq!(leaked, 0, "the password reached the audit log");
}

#[tokio::test]
async fn adding_an_email_that_exists_in_another_tenant_creates_only_a_membership() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.tenant("alpha").await, app.tenant("beta").await);
    let alice = app.member(a, "alice@alpha.test", Role::SOC_ANALYST_L2).await;
    let bob = app.member(b, "bob@beta.test", Role::TENANT_ADMIN).await;
    let request = json!({ "email": "ALICE@alpha.test", "role": "AUDITOR_READONLY", "password": NEW_PASSWORD });
    let (status, body) = json_of(app.post_as(&bob.token, "/v1/users", &request).await).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["id"], id_of(alice.user));
    assert_eq!(body["role"], "AUDITOR_READONLY");

    let accounts: i64 =
        sqlx::query_scalar("select count(*) from users where lower(email) = 'alice@alpha.test'")
            .fetch_one(&app.db.superuser().await)
            .await
            .unwrap();
    assert_eq!(accounts, 1);
    // Her password is hers: another tenant's administrator cannot set it.
    assert_eq!(login_status(&app, &alice.email, MEMBER_PASSWORD, b).await, 200);
    assert_eq!(login_status(&app, &alice.email, NEW_PASSWORD, b).await, 401);
    let (_, at_home) =
        json_of(app.get_as(&alice.token, &format!("/v1/users/{}", alice.user)).await).await;
    assert_eq!(at_home["role"], "SOC_ANALYST_L2", "her role in her first tenant is unchanged");
    assert_eq!(user_audit(&app, b, &id_of(alice.user)).await, ["user.add"]);
    assert!(user_audit(&app, a, &id_of(alice.user)).await.is_empty());
}

#[tokio::test]
async fn adding_a_member_twice_is_an_already_member_conflict() {
    let app = TestApp::spawn().await;
    let acme = app.tenant("acme").await;
    let boss = app.member(acme, "boss@acme.test", Role::TENANT_ADMIN).await;
    let request = json!({ "email": "twice@acme.test", "role": "THREAT_HUNTER" });
    assert_eq!(app.post_as(&boss.token, "/v1/users", &request).await.status(), 201);
    let (status, body) = json_of(app.post_as(&boss.token, "/v1/users", &request).await).await;
    assert_eq!(status, 409);
    assert_eq!(body["code"], "ALREADY_MEMBER");
    let actions: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where tenant_id = $1 and action like 'user.%'",
    )
    .bind(acme)
    .fetch_all(&app.db.superuser().await)
    .await
    .unwrap();
    assert_eq!(actions, ["user.invite"]);
}

#[tokio::test]
async fn a_weak_password_a_bad_email_and_an_unknown_role_are_422s_naming_the_field() {
    let app = TestApp::spawn().await;
    let acme = app.tenant("acme").await;
    let boss = app.member(acme, "boss@acme.test", Role::TENANT_ADMIN).await;
    let cases = [
        (
            json!({ "email": "weak@acme.test", "role": "SOC_ANALYST_L1", "password": "short" }),
            "password",
            "PASSWORD_TOO_SHORT",
        ),
        (json!({ "email": "not-an-email", "role": "SOC_ANALYST_L1" }), "email", "INVALID_EMAIL"),
        (json!({ "email": "king@acme.test", "role": "KING" }), "role", "INVALID_ROLE"),
        (
            json!({ "email": "blank@acme.test", "role": "SOC_ANALYST_L1", "display_name": "  " }),
            "display_name",
            "INVALID_NAME",
        ),
    ];
    for (request, field, code) in cases {
        let (status, body) = json_of(app.post_as(&boss.token, "/v1/users", &request).await).await;
        assert_eq!(status, 422, "{request}: {body}");
        assert_eq!(body["errors"][0]["field"], field, "{body}");
        assert_eq!(body["errors"][0]["code"], code, "{body}");
    }
    let created: i64 = sqlx::query_scalar(
        "select count(*) from users where email like '%@acme.test' and email <> 'boss@acme.test'",
    )
    .fetch_one(&app.db.superuser().await)
    .await
    .unwrap();
    assert_eq!(created, 0);
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
