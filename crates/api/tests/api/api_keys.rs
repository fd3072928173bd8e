//! HTTP tests of /v1/api-keys: creating a key that works once and is never shown again, its
//! scopes, listing, revoking, expiry, suspended tenants and what is stored.

use hmac::{Hmac, Mac};
use platform::access::Role;
use serde_json::{Value, json};
use sha2::Sha256;
use std::collections::BTreeSet;
use std::time::Duration;
use testapp::{ResponseExt, TestApp};

/// Longer than the authentication caches keep a key's record or a tenant's status.
const CACHE_EXPIRY: Duration = Duration::from_secs(6);

/// Creates a key with `scopes`; panics unless it answers 201.
async fn new_key(app: &TestApp, token: &str, scopes: &[&str]) -> Value {
    let response =
        app.post_as(token, "/v1/api-keys", &json!({ "name": "ci", "scopes": scopes })).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

fn key_of(created: &Value) -> String {
    created["key"].as_str().unwrap().to_string()
}

fn names(list: &Value) -> BTreeSet<String> {
    list.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_created_key_is_shown_once_and_authenticates_with_exactly_its_scopes() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let created = new_key(&app, &admin.token, &["AUDIT_VIEW", "USERS_VIEW"]).await;
    let key = key_of(&created);
    assert!(key.starts_with(&format!("pal_{}_", created["prefix"].as_str().unwrap())));
    assert!(created["id"].is_string());
    assert_eq!(names(&created["scopes"]), names(&json!(["AUDIT_VIEW", "USERS_VIEW"])));

    let me = app.get_as(&key, "/v1/auth/me").await;
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["role"], Value::Null);
    assert_eq!(me["tenant"]["id"], admin.tenant.to_string());
    assert_eq!(names(&me["permissions"]), names(&created["scopes"]));

    let summaries = app.audit_summaries("api_key.create").await;
    assert_eq!(summaries.len(), 1, "exactly one audit row");
    assert_eq!(summaries[0]["prefix"], created["prefix"]);
    assert_eq!(summaries[0]["name"], "ci");
    assert!(!summaries[0].to_string().contains(&key[17..]), "the key is never audited");
}

#[tokio::test]
async fn a_key_scoped_to_audit_view_reads_the_audit_log_but_cannot_manage_keys() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let key = key_of(&new_key(&app, &admin.token, &["AUDIT_VIEW"]).await);
    assert_eq!(app.get_as(&key, "/v1/audit-log").await.status(), 200);
    let refused = app.get_as(&key, "/v1/api-keys").await;
    assert_eq!(refused.status(), 403);
    assert_eq!(refused.json::<Value>().await.unwrap()["code"], "FORBIDDEN");
}

#[tokio::test]
async fn a_revoked_key_is_refused_at_once_and_revoking_again_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let created = new_key(&app, &admin.token, &["AUDIT_VIEW"]).await;
    let key = key_of(&created);
    assert_eq!(app.get_as(&key, "/v1/auth/me").await.status(), 200);

    let path = format!("/v1/api-keys/{}", created["id"].as_str().unwrap());
    let empty = json!({});
    let revoke = || app.send_as(reqwest::Method::DELETE, &admin.token, &path, &empty);
    assert_eq!(revoke().await.status(), 204);
    assert_eq!(app.get_as(&key, "/v1/auth/me").await.status(), 401);
    assert_eq!(revoke().await.status(), 204);
    assert_eq!(app.audit_summaries("api_key.revoke").await.len(), 1, "one row per revocation");

    let list: Value = app.get_as(&admin.token, "/v1/api-keys").await.json().await.unwrap();
    assert!(list["items"][0]["revoked_at"].is_string());
}

#[tokio::test]
async fn a_key_works_until_its_expiry_and_is_refused_after_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let body =
        json!({"name": "short", "scopes": ["AUDIT_VIEW"], "expires_at": "2999-01-01T00:00:00Z"});
    let response = app.post_as(&admin.token, "/v1/api-keys", &body).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["expires_at"], "2999-01-01T00:00:00Z");
    let key = key_of(&created);
    assert_eq!(app.get_as(&key, "/v1/auth/me").await.status(), 200);
    sqlx::query("update api_keys set expires_at = now() - interval '1 minute' where prefix = $1")
        .bind(created["prefix"].as_str().unwrap())
        .execute(&app.db.superuser().await)
        .await
        .unwrap();
    tokio::time::sleep(CACHE_EXPIRY).await;
    assert_eq!(app.get_as(&key, "/v1/auth/me").await.status(), 401);
}

#[tokio::test]
async fn the_list_pages_through_keys_and_never_shows_a_key_or_digest() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut secrets = Vec::new();
    for _ in 0..3 {
        secrets.push(key_of(&new_key(&app, &admin.token, &["AUDIT_VIEW"]).await));
    }
    assert_eq!(app.get_as(&secrets[0], "/v1/audit-log").await.status(), 200);

    let (mut seen, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/api-keys?limit=2&cursor={c}"),
            None => "/v1/api-keys?limit=2".to_string(),
        };
        let response = app.get_as(&admin.token, &path).await;
        assert_eq!(response.status(), 200);
        let text = response.text().await.unwrap();
        for secret in &secrets {
            assert!(!text.contains(&secret[17..]), "a key leaked into the list");
        }
        let page: Value = serde_json::from_str(&text).unwrap();
        for item in page["items"].as_array().unwrap() {
            assert!(item.get("key").is_none() && item.get("key_digest").is_none());
            assert_eq!(item["created_by"], admin.user.to_string());
            seen.push(item["prefix"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    let mut expected: Vec<String> = secrets.iter().map(|k| k[4..16].to_string()).collect();
    expected.reverse();
    assert_eq!(seen, expected, "newest first, each once");

    // Use is recorded off the request path.
    let mut used = Value::Null;
    for _ in 0..50 {
        let list: Value = app.get_as(&admin.token, "/v1/api-keys").await.json().await.unwrap();
        used = list["items"][2]["last_used_at"].clone();
        if used.is_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(used.is_string(), "last_used_at was not recorded");
    assert_eq!(app.get_as(&admin.token, "/v1/api-keys?cursor=nope").await.status(), 400);
}

#[tokio::test]
async fn invalid_requests_answer_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let long = "x".repeat(101);
    for (body, field) in [
        (json!({"name": "k", "scopes": ["NO_SUCH_PERMISSION"]}), "scopes"),
        (json!({"name": "k", "scopes": []}), "scopes"),
        (json!({"name": "", "scopes": ["AUDIT_VIEW"]}), "name"),
        (json!({"name": long, "scopes": ["AUDIT_VIEW"]}), "name"),
        (json!({"name": "k", "scopes": ["AUDIT_VIEW"], "expires_at": "tomorrow"}), "expires_at"),
        (
            json!({"name": "k", "scopes": ["AUDIT_VIEW"], "expires_at": "2001-01-01T00:00:00Z"}),
            "expires_at",
        ),
    ] {
        let response = app.post_as(&admin.token, "/v1/api-keys", &body).await;
        let problem = response.problem().await;
        assert_eq!(problem.status, 422, "{body}");
        assert_eq!(problem.errors[0].field, field, "{body}");
    }
    assert!(app.audit_summaries("api_key.create").await.is_empty());
}

#[tokio::test]
async fn a_key_cannot_carry_more_power_than_its_creator() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let response = app
        .post_as(&admin.token, "/v1/api-keys", &json!({"name": "k", "scopes": ["TENANTS_MANAGE"]}))
        .await;
    assert_eq!(response.status(), 403);

    // A key that may manage keys can only pass on what it has itself.
    let manager = key_of(&new_key(&app, &admin.token, &["API_KEYS_MANAGE", "AUDIT_VIEW"]).await);
    let body = json!({"name": "k", "scopes": ["USERS_VIEW"]});
    assert_eq!(app.post_as(&manager, "/v1/api-keys", &body).await.status(), 403);
    let body = json!({"name": "k", "scopes": ["AUDIT_VIEW"]});
    assert_eq!(app.post_as(&manager, "/v1/api-keys", &body).await.status(), 201);
}

#[tokio::test]
async fn a_key_of_a_suspended_tenant_stops_working() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let key = key_of(&new_key(&app, &admin.token, &["AUDIT_VIEW"]).await);
    assert_eq!(app.get_as(&key, "/v1/audit-log").await.status(), 200);
    sqlx::query("update tenants set status = 'suspended' where id = $1")
        .bind(admin.tenant.as_uuid())
        .execute(&app.db.superuser().await)
        .await
        .unwrap();
    tokio::time::sleep(CACHE_EXPIRY).await;
    assert_eq!(app.get_as(&key, "/v1/audit-log").await.status(), 401);
}

#[tokio::test]
async fn a_key_may_not_name_another_tenant_with_x_tenant_id() {
    let app = TestApp::spawn().await;
    let key = key_of(&new_key(&app, &app.admin_token().await, &["AUDIT_VIEW"]).await);
    let other = app.tenant("other").await;
    let response = app
        .client
        .get(app.url("/v1/audit-log"))
        .bearer_auth(&key)
        .header("x-tenant-id", other.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn only_the_prefix_and_the_peppered_digest_are_stored() {
    let app = TestApp::spawn().await;
    let created = new_key(&app, &app.admin_token().await, &["AUDIT_VIEW"]).await;
    let key = key_of(&created);
    let superuser = app.db.superuser().await;
    let (prefix, digest, row): (String, Vec<u8>, String) =
        sqlx::query_as("select prefix, key_digest, a::text from api_keys a where id = $1")
            .bind(uuid::Uuid::parse_str(created["id"].as_str().unwrap()).unwrap())
            .fetch_one(&superuser)
            .await
            .unwrap();
    assert_eq!(prefix, created["prefix"].as_str().unwrap());
    assert_eq!(digest.len(), 32);
    assert!(!row.contains(&key[17..]), "the secret is stored");
    let pepper = app.services.secrets.load("api_key_pepper").await.unwrap().unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(pepper.expose()).unwrap();
    mac.update(key.as_bytes());
    assert_eq!(mac.finalize().into_bytes().to_vec(), digest);
}

#[tokio::test]
async fn keys_need_a_token_and_the_api_keys_manage_permission() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/v1/api-keys").await.status(), 401);
    let tenant = app.tenant("acme").await;
    let analyst = app.member(tenant, "l1@acme.test", Role::SOC_ANALYST_L1).await;
    assert_eq!(app.get_as(&analyst.token, "/v1/api-keys").await.status(), 403);
    let body = json!({"name": "k", "scopes": ["ALERTS_VIEW"]});
    assert_eq!(app.post_as(&analyst.token, "/v1/api-keys", &body).await.status(), 403);
}

#[tokio::test]
async fn another_tenants_key_is_not_found_and_keeps_working() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.admin_of("acme").await, app.admin_of("globex").await);
    let created = new_key(&app, &a.token, &["AUDIT_VIEW"]).await;
    let path = format!("/v1/api-keys/{}", created["id"].as_str().unwrap());
    let response = app.send_as(reqwest::Method::DELETE, &b.token, &path, &json!({})).await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "NOT_FOUND");
    let b_list: Value = app.get_as(&b.token, "/v1/api-keys").await.json().await.unwrap();
    assert!(b_list["items"].as_array().unwrap().is_empty());
    assert_eq!(app.get_as(&key_of(&created), "/v1/auth/me").await.status(), 200);

    for id in ["not-a-uuid".to_string(), uuid::Uuid::now_v7().to_string()] {
        let path = format!("/v1/api-keys/{id}");
        let response = app.send_as(reqwest::Method::DELETE, &a.token, &path, &json!({})).await;
        assert_eq!(response.status(), 404, "{id}");
        assert_eq!(response.headers()["content-type"], "application/problem+json");
    }
}
