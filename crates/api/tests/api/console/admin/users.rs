//! `/admin/users`: the members with their roles and statuses; an administrator changes a role,
//! blocks and restores, and invites by email (refusals on the form); a user one role down sees
//! the list without controls and their forged posts are refused.

use super::{post_with_token, signed_in};
use crate::receivers::{SmtpReceiver, mail_through, mail_to, token_in};
use platform::access::Role;
use serde_json::Value;
use testapp::{ResponseExt, TestApp};

async fn member_json(app: &TestApp, token: &str, id: &str) -> Value {
    app.get_as(token, &format!("/v1/users/{id}")).await.expect_json(200).await
}

#[tokio::test]
async fn an_administrator_sees_the_members_and_changes_a_role_blocks_and_restores() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let lee = app.member(admin.tenant, "lee@acme.test", Role::SOC_ANALYST_L1).await;
    let mut browser = signed_in(&app, &admin).await;
    let page = browser.get("/admin/users").await;
    assert_eq!(page.status, 200);
    for text in [admin.email.as_str(), "lee@acme.test", "SOC_ANALYST_L1", "TENANT_ADMIN", "active"]
    {
        assert!(page.body.contains(text), "the list shows {text}");
    }
    let lee_id = lee.user.to_string();
    let role_path = format!("/admin/users/{lee_id}/role");
    assert!(page.body.contains(&role_path), "a role form for the member");
    let own_role = format!("/admin/users/{}/role", admin.user);
    assert!(!page.body.contains(&own_role), "no role form for oneself");

    let changed = post_with_token(
        &mut browser,
        "/admin/users",
        &role_path,
        &[("role", "SOC_ANALYST_L2"), ("back", "/admin/users?role=SOC_ANALYST_L1")],
    )
    .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert_eq!(changed.location.as_deref(), Some("/admin/users?role=SOC_ANALYST_L1"));
    assert_eq!(member_json(&app, &admin.token, &lee_id).await["role"], "SOC_ANALYST_L2");

    let block = format!("/admin/users/{lee_id}/block");
    let blocked = post_with_token(&mut browser, "/admin/users", &block, &[]).await;
    assert_eq!(blocked.status, 303);
    assert_eq!(member_json(&app, &admin.token, &lee_id).await["membership_status"], "blocked");
    assert_eq!(app.get_as(&lee.token, "/v1/auth/me").await.status(), 401, "their session ended");
    let listed = browser.get("/admin/users?status=blocked").await;
    assert!(listed.body.contains("lee@acme.test"));
    assert!(!listed.body.contains(r#"<span class="badge">you</span>"#), "only the blocked");
    assert!(listed.body.contains(&format!("/admin/users/{lee_id}/restore")));

    let restore = format!("/admin/users/{lee_id}/restore");
    let restored = post_with_token(&mut browser, "/admin/users", &restore, &[]).await;
    assert_eq!(restored.status, 303);
    assert_eq!(member_json(&app, &admin.token, &lee_id).await["membership_status"], "active");
    assert_eq!(app.audit_summaries("user.block").await.len(), 1);
}

#[tokio::test]
async fn refusals_of_the_access_policy_are_said_and_change_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin).await;
    let own = format!("/admin/users/{}/role", admin.user);
    let demote =
        post_with_token(&mut browser, "/admin/users", &own, &[("role", "SOC_ANALYST_L1")]).await;
    assert_eq!(demote.status, 403);
    assert!(demote.body.contains("You cannot change your own role"), "{}", demote.body);
    let lee = app.member(admin.tenant, "lee@acme.test", Role::SOC_ANALYST_L1).await;
    let path = format!("/admin/users/{}/role", lee.user);
    let unknown =
        post_with_token(&mut browser, "/admin/users", &path, &[("role", "OVERLORD")]).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("one of GLOBAL_ADMIN"), "said above the list: {}", unknown.body);
    let global =
        post_with_token(&mut browser, "/admin/users", &path, &[("role", "GLOBAL_ADMIN")]).await;
    assert_eq!(global.status, 403, "only a global administrator gives GLOBAL_ADMIN");
    for bad in ["not-an-id", "00000000-0000-0000-0000-000000000000"] {
        let answer = post_with_token(
            &mut browser,
            "/admin/users",
            &format!("/admin/users/{bad}/block"),
            &[],
        )
        .await;
        assert_eq!(answer.status, 404, "{bad}");
    }
    let other = app.admin_of("globex").await;
    let foreign = format!("/admin/users/{}/block", other.user);
    assert_eq!(post_with_token(&mut browser, "/admin/users", &foreign, &[]).await.status, 404);
    assert_eq!(
        member_json(&app, &admin.token, &lee.user.to_string()).await["role"],
        "SOC_ANALYST_L1"
    );
    assert_eq!(app.get_as(&other.token, "/v1/auth/me").await.status(), 200);
}

#[tokio::test]
async fn a_user_one_role_down_sees_the_members_without_controls_and_forged_posts_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let analyst = app.member(admin.tenant, "lee@acme.test", Role::SOC_ANALYST_L2).await;
    let mut browser = signed_in(&app, &analyst).await;
    let page = browser.get("/admin/users").await;
    assert_eq!(page.status, 200, "SOC_ANALYST_L2 holds USERS_VIEW");
    assert!(page.body.contains(&admin.email));
    assert!(!page.body.contains("/block") && !page.body.contains("Invite a user"));
    let block = format!("/admin/users/{}/block", admin.user);
    assert_eq!(post_with_token(&mut browser, "/admin/users", &block, &[]).await.status, 403);
    let fields = [("email", "friend@example.test"), ("role", "SOC_ANALYST_L1")];
    let invite =
        post_with_token(&mut browser, "/admin/users", "/admin/users/invite", &fields).await;
    assert_eq!(invite.status, 403);
    assert_eq!(
        member_json(&app, &admin.token, &admin.user.to_string()).await["membership_status"],
        "active"
    );
    assert!(app.audit_summaries("user.invite").await.is_empty());
    let executive = app.member(admin.tenant, "exec@acme.test", Role::EXECUTIVE_READONLY).await;
    let mut browser = signed_in(&app, &executive).await;
    assert_eq!(browser.get("/admin/users").await.status, 403);
}

#[tokio::test]
async fn an_invitation_is_sent_from_the_form_and_a_bad_address_is_said_beside_its_field() {
    let smtp = SmtpReceiver::start().await;
    let app = TestApp::spawn_with(|settings| mail_through(&smtp, settings)).await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin).await;
    let bad = [("email", "not an address"), ("role", "SOC_ANALYST_L1")];
    let refused = post_with_token(&mut browser, "/admin/users", "/admin/users/invite", &bad).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains(r#"<span class="field-error">not a valid email address</span>"#),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(r#"value="not an address""#), "the address is kept");

    let good = [("email", "new@acme.test"), ("role", "SOC_ANALYST_L1")];
    let sent = post_with_token(&mut browser, "/admin/users", "/admin/users/invite", &good).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let page = browser.get("/admin/users").await;
    assert!(page.body.contains("new@acme.test") && page.body.contains("pending"));
    let mail = mail_to(&smtp, "new@acme.test").await;
    assert!(token_in(&mail, "pinv_").starts_with("pinv_"));

    let list: Value = app.get_as(&admin.token, "/v1/invitations").await.expect_json(200).await;
    let id = list["items"][0]["id"].as_str().unwrap().to_string();
    let revoke = format!("/admin/invitations/{id}/revoke");
    assert_eq!(post_with_token(&mut browser, "/admin/users", &revoke, &[]).await.status, 303);
    let list: Value = app.get_as(&admin.token, "/v1/invitations").await.expect_json(200).await;
    assert_eq!(list["items"][0]["status"], "revoked");
    let again = post_with_token(&mut browser, "/admin/users", &revoke, &[]).await;
    assert_eq!(again.status, 409, "a closed invitation is said on the form");
}

#[tokio::test]
async fn without_mail_an_invitation_is_refused_on_the_form_in_plain_words() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin).await;
    let fields = [("email", "new@acme.test"), ("role", "SOC_ANALYST_L1")];
    let refused =
        post_with_token(&mut browser, "/admin/users", "/admin/users/invite", &fields).await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("configure [mail]"), "{}", refused.body);
    assert!(app.audit_summaries("user.invite").await.is_empty());
}
