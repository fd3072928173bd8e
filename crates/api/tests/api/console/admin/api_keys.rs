//! `/admin/api-keys`: a key created through the form is shown once, works as a bearer, and never
//! appears again; revoking stops it; a user without `API_KEYS_MANAGE` gets nothing; hostile
//! input is refused in plain words and creates nothing.

use super::{post_with_token, signed_in};
use crate::console::ORIGIN;
use platform::access::Role;
use serde_json::Value;
use testapp::{ResponseExt, TestApp};

/// The text of the `.secret` element of a page.
fn secret_of(html: &str) -> Option<String> {
    let marker = r#"<p class="secret" id="new-key">"#;
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find("</p>")?;
    Some(html[start..start + end].trim().to_string())
}

/// The tenant's keys as the API lists them to `token`.
async fn keys(app: &TestApp, token: &str) -> Vec<Value> {
    let list: Value = app.get_as(token, "/v1/api-keys").await.expect_json(200).await;
    list["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_key_created_on_the_form_is_shown_once_works_as_a_bearer_and_is_never_listed() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin).await;
    let page = browser.get("/admin/api-keys").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"value="AUDIT_VIEW""#), "the admin's permissions are scopes");
    assert!(!page.body.contains(r#"value="TENANTS_MANAGE""#), "but none the admin lacks");
    assert!(secret_of(&page.body).is_none(), "no key is shown before one is created");

    let fields = [
        ("name", "ci pipeline"),
        ("scope", "AUDIT_VIEW"),
        ("scope", "USERS_VIEW"),
        ("expires_on", "2099-12-31"),
    ];
    let created =
        post_with_token(&mut browser, "/admin/api-keys", "/admin/api-keys", &fields).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let key = secret_of(&created.body).expect("the new key in a .secret element");
    assert!(key.starts_with("pal_"), "{key}");
    assert!(created.body.contains(r#"<button type="button" data-copy="new-key">Copy</button>"#));
    assert!(created.body.contains("it will not be shown again"));

    let me = app.get_as(&key, "/v1/audit-log?action=api_key.create").await;
    let log: Value = me.expect_json(200).await;
    assert_eq!(log["items"][0]["summary"]["name"], "ci pipeline", "the key works as a bearer");
    let listed = keys(&app, &admin.token).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["expires_at"].as_str().map(|s| &s[..10]), Some("2099-12-31"));

    let list = browser.get("/admin/api-keys").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("<td>ci pipeline</td>"), "{}", list.body);
    assert!(list.body.contains("<td>USERS_VIEW, AUDIT_VIEW</td>"), "{}", list.body);
    assert!(list.body.contains(listed[0]["prefix"].as_str().unwrap()), "the prefix is listed");
    assert!(!list.body.contains(&key), "the list never shows the key");
    assert!(secret_of(&list.body).is_none());
}

#[tokio::test]
async fn revoking_a_key_from_the_list_stops_it_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let created = app.api_key(&admin.token, &["AUDIT_VIEW"]).await;
    assert_eq!(app.get_as(&created.key, "/v1/audit-log").await.status(), 200);
    let mut browser = signed_in(&app, &admin).await;
    let path = format!("/admin/api-keys/{}/revoke", created.id);
    let revoked = post_with_token(&mut browser, "/admin/api-keys", &path, &[]).await;
    assert_eq!(revoked.status, 303, "{}", revoked.body);
    assert_eq!(revoked.location.as_deref(), Some("/admin/api-keys"));
    assert_eq!(app.get_as(&created.key, "/v1/audit-log").await.status(), 401);
    let list = browser.get("/admin/api-keys").await;
    assert!(list.body.contains("revoked"));
    assert!(!list.body.contains(&path), "a revoked key has no revoke button");
    assert_eq!(app.audit_summaries("api_key.revoke").await.len(), 1);
}

#[tokio::test]
async fn another_tenants_key_and_a_malformed_id_are_not_found() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let other = app.admin_of("globex").await;
    let theirs = app.api_key(&other.token, &["AUDIT_VIEW"]).await;
    let mut browser = signed_in(&app, &admin).await;
    for id in [theirs.id.as_str(), "not-an-id", "00000000-0000-0000-0000-000000000000"] {
        let path = format!("/admin/api-keys/{id}/revoke");
        let answer = post_with_token(&mut browser, "/admin/api-keys", &path, &[]).await;
        assert_eq!(answer.status, 404, "{id}");
    }
    assert_eq!(app.get_as(&theirs.key, "/v1/audit-log").await.status(), 200, "still working");
}

#[tokio::test]
async fn a_user_without_api_keys_manage_gets_no_page_and_a_forged_create_makes_no_key() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let analyst = app.member(admin.tenant, "lee@acme.test", Role::SOC_ANALYST_L2).await;
    let mut browser = signed_in(&app, &analyst).await;
    let home = browser.get("/").await;
    assert!(!home.body.contains(r#"href="/admin/api-keys""#), "no link to the key page");
    let page = browser.get("/admin/api-keys").await;
    assert_eq!(page.status, 403);
    assert!(!page.body.contains("Create a key"), "{}", page.body);
    let fields = [("name", "sneaky"), ("scope", "ALERTS_VIEW")];
    let forged = post_with_token(&mut browser, "/", "/admin/api-keys", &fields).await;
    assert_eq!(forged.status, 403);
    assert!(secret_of(&forged.body).is_none());
    assert!(keys(&app, &admin.token).await.is_empty(), "no key was created");
}

/// Form fields, the status they are answered with, and what the answer says.
type Case = (&'static [(&'static str, &'static str)], u16, &'static str);

#[tokio::test]
async fn hostile_key_input_is_refused_in_plain_words_and_creates_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin).await;
    let cases: [Case; 7] = [
        (&[("name", "bad\0name"), ("scope", "AUDIT_VIEW")], 400, "NUL character"),
        (&[("name", "bell\u{7}"), ("scope", "AUDIT_VIEW")], 422, "no control characters"),
        (
            &[("name", "far"), ("scope", "AUDIT_VIEW"), ("expires_on", "99999-12-31")],
            422,
            "a date such as",
        ),
        (
            &[("name", "far"), ("scope", "AUDIT_VIEW"), ("expires_on", "+275760-09-13")],
            422,
            "a date such as",
        ),
        (
            &[("name", "past"), ("scope", "AUDIT_VIEW"), ("expires_on", "2001-01-01")],
            422,
            "must be in the future",
        ),
        (&[("name", "none")], 422, "give at least one permission"),
        (&[("name", "more"), ("scope", "TENANTS_MANAGE")], 403, "permissions its creator lacks"),
    ];
    for (fields, status, says) in cases {
        let answer =
            post_with_token(&mut browser, "/admin/api-keys", "/admin/api-keys", fields).await;
        assert_eq!(answer.status, status, "{fields:?}: {}", answer.body);
        assert!(answer.body.contains(says), "{fields:?} should say {says:?}: {}", answer.body);
        assert!(secret_of(&answer.body).is_none());
    }
    let kept = post_with_token(
        &mut browser,
        "/admin/api-keys",
        "/admin/api-keys",
        &[("name", "nightly"), ("scope", "USERS_VIEW"), ("expires_on", "2001-01-01")],
    )
    .await;
    assert!(kept.body.contains(r#"value="nightly""#), "the name is kept in the form");
    assert!(kept.body.contains(r#"value="USERS_VIEW" checked"#), "and the scopes");
    assert!(keys(&app, &admin.token).await.is_empty(), "nothing was created");
    assert!(app.audit_summaries("api_key.create").await.is_empty());
}

#[tokio::test]
async fn the_page_showing_a_new_key_tells_the_browser_not_to_store_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin).await;
    let csrf = browser.get("/admin/api-keys").await.csrf();
    let form = [("_csrf", csrf.as_str()), ("name", "ci"), ("scope", "AUDIT_VIEW")];
    let session = browser.session.clone().unwrap();
    let response = app
        .client
        .post(app.url("/admin/api-keys"))
        .header("origin", ORIGIN)
        .header("cookie", format!("palisade_session={session}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(form).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(secret_of(&response.text().await.unwrap()).is_some());
}
