//! `/admin/tenants`: refused to a tenant administrator (page and forged posts), and for the
//! global administrator a list to create tenants in and suspend or restore them.

use super::{post_with_token, signed_in};
use crate::console::Browser;
use serde_json::Value;
use testapp::{ADMIN_EMAIL, ADMIN_PASSWORD, ResponseExt, TestApp};

/// The tenant with `slug` as `GET /v1/tenants` answers it to the global administrator.
async fn tenant(app: &TestApp, slug: &str) -> Option<Value> {
    let token = app.admin_token().await;
    let list: Value = app.get_as(&token, "/v1/tenants?limit=200").await.expect_json(200).await;
    list["items"].as_array().unwrap().iter().find(|t| t["slug"] == slug).cloned()
}

#[tokio::test]
async fn a_tenant_administrator_is_refused_the_page_and_every_post() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let other = app.tenant("globex").await.to_string();
    let mut browser = signed_in(&app, &admin).await;
    let users = browser.get("/admin/users").await;
    assert!(!users.body.contains(r#"href="/admin/tenants""#), "no link to the tenants page");
    let page = browser.get("/admin/tenants").await;
    assert_eq!(page.status, 403);
    assert!(!page.body.contains("Create a tenant") && !page.body.contains("globex"));
    let create = [("name", "Rogue"), ("slug", "rogue")];
    let forged = post_with_token(&mut browser, "/admin/users", "/admin/tenants", &create).await;
    assert_eq!(forged.status, 403);
    let suspend = format!("/admin/tenants/{other}/suspend");
    assert_eq!(post_with_token(&mut browser, "/admin/users", &suspend, &[]).await.status, 403);
    assert!(tenant(&app, "rogue").await.is_none(), "no tenant was created");
    assert_eq!(tenant(&app, "globex").await.unwrap()["status"], "active");
}

#[tokio::test]
async fn the_global_administrator_creates_suspends_and_restores_tenants() {
    let app = TestApp::spawn().await;
    let mut browser = Browser::new(&app);
    browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, None).await;
    let page = browser.get("/admin/tenants").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<code>default</code>") && page.body.contains("signed in here"));
    assert!(page.body.contains(r#"href="/admin/tenants" aria-current="page""#));

    let created = post_with_token(
        &mut browser,
        "/admin/tenants",
        "/admin/tenants",
        &[("name", "Globex Corp"), ("slug", "globex")],
    )
    .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let globex = tenant(&app, "globex").await.expect("the tenant was created");
    assert_eq!(globex["name"], "Globex Corp");
    let id = globex["id"].as_str().unwrap().to_string();
    let list = browser.get("/admin/tenants").await;
    assert!(
        list.body.contains("Globex Corp")
            && list.body.contains(&format!("/admin/tenants/{id}/suspend"))
    );

    let suspend = format!("/admin/tenants/{id}/suspend");
    assert_eq!(post_with_token(&mut browser, "/admin/tenants", &suspend, &[]).await.status, 303);
    assert_eq!(tenant(&app, "globex").await.unwrap()["status"], "suspended");
    let suspended = browser.get("/admin/tenants?status=suspended").await;
    assert!(
        suspended.body.contains("Globex Corp") && !suspended.body.contains("<code>default</code>")
    );
    let restore = format!("/admin/tenants/{id}/restore");
    assert_eq!(post_with_token(&mut browser, "/admin/tenants", &restore, &[]).await.status, 303);
    assert_eq!(tenant(&app, "globex").await.unwrap()["status"], "active");
    assert_eq!(app.audit_summaries("tenant.suspend").await.len(), 1);
}

#[tokio::test]
async fn bad_tenant_input_is_said_on_the_form_and_the_own_tenant_cannot_be_suspended() {
    let app = TestApp::spawn().await;
    app.tenant("taken").await;
    let mut browser = Browser::new(&app);
    browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, None).await;
    for (fields, status, says) in [
        ([("name", "Acme"), ("slug", "Not A Slug")], 422, "lowercase letters, digits and dashes"),
        ([("name", "Acme"), ("slug", "taken")], 409, "taken"),
        ([("name", "bell\u{7}"), ("slug", "bell")], 422, "no control characters"),
        ([("name", "Nul\0"), ("slug", "nul")], 400, "NUL character"),
    ] {
        let answer =
            post_with_token(&mut browser, "/admin/tenants", "/admin/tenants", &fields).await;
        assert_eq!(answer.status, status, "{fields:?}: {}", answer.body);
        assert!(answer.body.contains(says), "{fields:?} should say {says:?}: {}", answer.body);
    }
    for slug in ["not-a-slug", "bell", "nul"] {
        assert!(tenant(&app, slug).await.is_none(), "{slug} was not created");
    }
    let default = tenant(&app, "default").await.unwrap()["id"].as_str().unwrap().to_string();
    let own = format!("/admin/tenants/{default}/suspend");
    let refused = post_with_token(&mut browser, "/admin/tenants", &own, &[]).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("you cannot suspend the tenant you are logged in to"));
    assert_eq!(tenant(&app, "default").await.unwrap()["status"], "active");
    let malformed =
        post_with_token(&mut browser, "/admin/tenants", "/admin/tenants/x/suspend", &[]).await;
    assert_eq!(malformed.status, 404);
}
