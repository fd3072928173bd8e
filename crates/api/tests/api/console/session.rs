//! Signing in to the console, its cookie, the form tokens, logout and tenant switching.

use super::{Browser, cookie_value};
use platform::access::Role;
use testapp::{MEMBER_PASSWORD, TestApp};

#[tokio::test]
async fn signing_in_sets_a_strict_http_only_secure_cookie_and_opens_the_dashboard() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = Browser::new(&app);
    let answer = browser.try_sign_in(&admin.email, &admin.password, None).await;
    assert_eq!(answer.status, 303);
    assert_eq!(answer.location.as_deref(), Some("/"));
    let cookie = answer.set_cookies.iter().find(|c| c.starts_with("palisade_session=")).unwrap();
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} missing from {cookie}");
    }
    let dashboard = browser.get("/").await;
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.body.contains("Dashboard"));
    assert!(dashboard.body.contains(&admin.email), "the user menu shows who is signed in");
    assert!(dashboard.body.contains("acme"), "and where");
    assert!(app.audit_actions().await.contains(&"session.login".to_string()));
}

#[tokio::test]
async fn every_sign_in_starts_a_new_session_so_a_planted_cookie_is_worth_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut first = Browser::new(&app);
    first.sign_in(&admin.email, &admin.password, None).await;
    let mut second = Browser::new(&app);
    second.session = first.session.clone();
    second.sign_in(&admin.email, &admin.password, None).await;
    assert_ne!(first.session, second.session);
}

#[tokio::test]
async fn a_page_without_a_session_sends_the_browser_to_sign_in_and_back() {
    let app = TestApp::spawn().await;
    let mut browser = Browser::new(&app);
    let answer = browser.get("/alerts?status=new").await;
    assert_eq!(answer.status, 303);
    assert_eq!(answer.location.as_deref(), Some("/login?next=/alerts%3Fstatus%3Dnew"));
    let login = browser.get("/login?next=//evil.example").await;
    assert!(login.body.contains(r#"name="next" value="/""#), "a foreign next is dropped");
}

#[tokio::test]
async fn a_wrong_password_is_said_on_the_form_in_plain_words() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = Browser::new(&app);
    let answer = browser.try_sign_in(&admin.email, "not-the-password", None).await;
    assert_eq!(answer.status, 401);
    assert!(answer.body.contains("The email or password is not right"), "{}", answer.body);
    assert!(answer.body.contains(&admin.email), "the email is kept in the form");
    assert!(browser.session.is_none());
}

#[tokio::test]
async fn a_sign_in_posted_from_another_site_or_without_the_form_token_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = Browser::new(&app);
    let fields = [
        ("_login", "0123"),
        ("email", admin.email.as_str()),
        ("password", admin.password.as_str()),
    ];
    let no_cookie = browser.post("/login", &fields).await;
    assert_eq!(no_cookie.status, 403);
    let foreign = browser.post_from("https://evil.example", "/login", &fields).await;
    assert_eq!(foreign.status, 403);
    assert!(browser.session.is_none());
}

#[tokio::test]
async fn the_session_cookie_is_not_a_credential_for_the_api() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&admin.email, &admin.password, None).await;
    let cookie = format!("palisade_session={}", browser.session.clone().unwrap());
    let me = app.client.get(app.url("/v1/auth/me")).header("cookie", cookie).send().await.unwrap();
    assert_eq!(me.status(), 401, "the API takes bearer credentials only, never the cookie");
}

#[tokio::test]
async fn an_api_key_in_the_session_cookie_opens_no_page() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let key = app.api_key(&admin.token, &["ALERTS_VIEW"]).await.key;
    let mut browser = Browser::new(&app);
    browser.session = Some(key);
    let answer = browser.get("/alerts").await;
    assert_eq!(answer.status, 303);
    assert_eq!(cookie_value(&answer.set_cookies, "palisade_session").as_deref(), Some(""));
}

#[tokio::test]
async fn signing_out_ends_the_session_for_every_copy_of_the_cookie() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&admin.email, &admin.password, None).await;
    let copy = browser.session.clone();
    let csrf = browser.get("/").await.csrf();
    let out = browser.post("/logout", &[("_csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location.as_deref(), Some("/login"));
    assert!(browser.session.is_none(), "the cookie is cleared");
    let mut thief = Browser::new(&app);
    thief.session = copy;
    assert_eq!(thief.get("/").await.status, 303, "the old cookie no longer opens the console");
}

#[tokio::test]
async fn logout_without_the_csrf_token_is_refused_and_the_session_lives_on() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&admin.email, &admin.password, None).await;
    let refused = browser.post("/logout", &[("_csrf", "forged")]).await;
    assert_eq!(refused.status, 403);
    assert_eq!(browser.get("/").await.status, 200);
}

#[tokio::test]
async fn switching_tenant_continues_in_the_other_tenant_and_ends_the_old_session() {
    let app = TestApp::spawn().await;
    let acme = app.tenant("acme").await;
    let globex = app.tenant("globex").await;
    let dana = app.member(acme, "dana@example.test", Role::SOC_ANALYST_L1).await;
    app.add_membership(globex, dana.user, Role::SOC_ANALYST_L2).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&dana.email, MEMBER_PASSWORD, Some("acme")).await;
    let before = browser.session.clone();
    let page = browser.get("/").await;
    assert!(page.body.contains(r#"action="/session/tenant""#), "the switcher is offered");
    let csrf = page.csrf();
    let switched =
        browser.post("/session/tenant", &[("_csrf", &csrf), ("tenant", &globex.to_string())]).await;
    assert_eq!(switched.status, 303);
    assert_ne!(browser.session, before);
    let now = browser.get("/").await;
    assert!(now.body.contains("soc analyst l2 in globex"), "{}", now.body);
    let mut old = Browser::new(&app);
    old.session = before;
    assert_eq!(old.get("/").await.status, 303, "the session left behind is over");
}

#[tokio::test]
async fn a_tenant_the_user_is_not_a_member_of_cannot_be_switched_to() {
    let app = TestApp::spawn().await;
    let acme = app.tenant("acme").await;
    let globex = app.tenant("globex").await;
    let dana = app.member(acme, "dana@example.test", Role::SOC_ANALYST_L1).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&dana.email, MEMBER_PASSWORD, None).await;
    let csrf = browser.get("/").await.csrf();
    let refused =
        browser.post("/session/tenant", &[("_csrf", &csrf), ("tenant", &globex.to_string())]).await;
    assert_eq!(refused.status, 404);
}
