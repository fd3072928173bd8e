//! `/admin/audit`: the tenant's audit log with its filters kept in the URL and cursor paging;
//! filters that cannot be read are said beside their field; `AUDIT_VIEW` is needed.

use super::{count, signed_in};
use platform::access::Role;
use testapp::TestApp;

/// The `href` of the page's "Older entries" link, unescaped.
fn older(html: &str) -> Option<String> {
    let end = html.find(r#"" rel="next">Older entries"#)?;
    let start = html[..end].rfind("href=\"")? + "href=\"".len();
    Some(html[start..end].replace("&#38;", "&").replace("&amp;", "&"))
}

#[tokio::test]
async fn the_audit_page_lists_sign_ins_and_filters_by_action_in_the_url() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin).await;
    let page = browser.get("/admin/audit").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<code>session.login</code>"), "{}", page.body);
    assert!(page.body.contains(&admin.email), "the actor is shown by email");
    let logins = browser.get("/admin/audit?action=session.*").await;
    assert!(logins.body.contains("<code>session.login</code>"));
    assert!(logins.body.contains(r#"name="action" value="session.*""#), "the filter is kept");
    let none = browser.get("/admin/audit?action=user.*").await;
    assert_eq!(none.status, 200);
    assert!(
        !none.body.contains("<code>session.login</code>") && none.body.contains("No entries match")
    );
    let actor = format!("/admin/audit?actor={}&since=2000-01-01T00:00", admin.user);
    assert!(browser.get(&actor).await.body.contains("<code>session.login</code>"));
    let future = browser.get("/admin/audit?since=2999-01-01T00:00:00Z").await;
    assert!(future.body.contains("No entries match"));
}

#[tokio::test]
async fn the_next_page_link_keeps_the_filters_and_continues_where_the_page_ended() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    for _ in 0..55 {
        app.login(&admin.email, &admin.password, Some("acme")).await;
    }
    let mut browser = signed_in(&app, &admin).await;
    let first = browser.get("/admin/audit?action=session.login").await;
    assert_eq!(count(&first.body, "<code>session.login</code>"), 50);
    let next = older(&first.body).expect("a link to older entries");
    assert!(next.contains("action=session.login") && next.contains("cursor="), "{next}");
    let second = browser.get(&next).await;
    assert_eq!(second.status, 200);
    assert_eq!(count(&second.body, "<code>session.login</code>"), 57 - 50);
    assert!(older(&second.body).is_none());
}

#[tokio::test]
async fn filters_that_cannot_be_read_are_said_beside_their_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin).await;
    for (query, status, says) in [
        ("actor=not-a-uuid", 422, "a user&#39;s or key&#39;s id"),
        ("since=99999-01-01T00:00", 422, "a time such as"),
        ("until=tomorrow", 422, "a time such as"),
        ("action=%00", 422, "no control characters"),
        ("target_id=%07", 422, "no control characters"),
        ("scope=everything", 422, "tenant or platform"),
        ("cursor=garbage", 400, "not a cursor of this list"),
    ] {
        let answer = browser.get(&format!("/admin/audit?{query}")).await;
        assert_eq!(answer.status, status, "{query}: {}", answer.body);
        assert!(answer.body.contains(says), "{query} should say {says:?}: {}", answer.body);
        assert!(!answer.body.contains("<code>session.login</code>"), "{query} lists nothing");
    }
}

#[tokio::test]
async fn reading_the_audit_log_needs_audit_view_and_the_platform_chain_a_global_administrator() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let auditor = app.member(admin.tenant, "audrey@acme.test", Role::AUDITOR_READONLY).await;
    let mut browser = signed_in(&app, &auditor).await;
    let page = browser.get("/admin/audit").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<code>session.login</code>"));
    assert!(!page.body.contains(r#"name="scope""#), "no platform chain for a tenant's auditor");
    assert_eq!(browser.get("/admin/audit?scope=platform").await.status, 403);
    let analyst = app.member(admin.tenant, "lee@acme.test", Role::SOC_ANALYST_L1).await;
    let mut browser = signed_in(&app, &analyst).await;
    assert_eq!(browser.get("/admin/audit").await.status, 403);
}
