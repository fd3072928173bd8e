//! The access policy, tried as an attacker inside a tenant would try it: each test names the
//! attack and fails if the rule of the identity service that stops it is removed. (Invitations
//! are in `invitations.rs`.)

use crate::receivers::{SmtpReceiver, mail_through, mail_to, mail_with, token_in};
use platform::access::Role;
use platform::audit::RequestContext;
use reqwest::Method;
use serde_json::{Value, json};
use std::net::IpAddr;
use testapp::{MEMBER_PASSWORD, Member, ResponseExt, TestApp};

/// A request as a global administrator acting in `tenant`.
async fn as_admin_in(
    app: &TestApp,
    admin: &str,
    tenant: platform::TenantId,
    method: Method,
    path: &str,
) -> reqwest::Response {
    app.client
        .request(method, app.url(path))
        .bearer_auth(admin)
        .header("x-tenant-id", tenant.to_string())
        .json(&json!({}))
        .send()
        .await
        .unwrap()
}

async fn patch_role(app: &TestApp, token: &str, user: impl std::fmt::Display, role: &str) -> u16 {
    let body = json!({ "role": role });
    app.send_as(Method::PATCH, token, &format!("/v1/users/{user}"), &body).await.status().as_u16()
}

async fn grant(app: &TestApp, admin: &Member, role: &str, permissions: &[&str]) {
    let mut roles = serde_json::Map::new();
    roles.insert(role.to_string(), json!(permissions));
    let body = json!({ "roles": roles });
    assert_eq!(app.send_as(Method::PUT, &admin.token, "/v1/roles", &body).await.status(), 200);
}

#[tokio::test]
async fn api_key_of_a_blocked_owner_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let alice = app.admin_of("acme").await;
    let deputy = app.member(alice.tenant, "deputy@acme.test", Role::TENANT_ADMIN).await;
    let key = app.api_key(&alice.token, &["USERS_MANAGE", "USERS_VIEW"]).await.key;
    assert_eq!(app.get_as(&key, "/v1/users").await.status(), 200);

    let block = format!("/v1/users/{}/block", alice.user);
    assert_eq!(as_admin_in(&app, &admin, alice.tenant, Method::POST, &block).await.status(), 200);
    assert_eq!(app.get_as(&alice.token, "/v1/users").await.status(), 401);
    assert_eq!(app.get_as(&key, "/v1/users").await.status(), 401, "the key died with its owner");
    let restore = format!("/v1/users/{}/restore", alice.user);
    assert_eq!(app.post_as(&key, &restore, &json!({})).await.status(), 401);
    let listed: Value =
        app.get_as(&deputy.token, &format!("/v1/users/{}", alice.user)).await.json().await.unwrap();
    assert_eq!(listed["membership_status"], "blocked", "the key restored nothing");

    // Deleting the member, or ending the owner's sessions, stops the key as well.
    let bob = app.member(alice.tenant, "bob@acme.test", Role::TENANT_ADMIN).await;
    let bobs = app.api_key(&bob.token, &["USERS_VIEW"]).await.key;
    let path = format!("/v1/users/{}", bob.user);
    let deleted = app.client.delete(app.url(&path)).bearer_auth(&deputy.token).send().await;
    assert_eq!(deleted.unwrap().status(), 204);
    assert_eq!(app.get_as(&bobs, "/v1/users").await.status(), 401);
    let carol = app.member(alice.tenant, "carol@acme.test", Role::TENANT_ADMIN).await;
    let carols = app.api_key(&carol.token, &["USERS_VIEW"]).await.key;
    let context = RequestContext::default();
    app.services.identity.revoke_sessions(&context, &carol.email).await.unwrap();
    assert_eq!(app.get_as(&carols, "/v1/users").await.status(), 401, "revoke-sessions ends keys");
}

#[tokio::test]
async fn a_key_acts_as_its_owner_at_most_and_never_on_its_owners_account() {
    let app = TestApp::spawn().await;
    let boss = app.admin_of("acme").await;
    let alice = app.member(boss.tenant, "alice@acme.test", Role::TENANT_ADMIN).await;
    let key = app.api_key(&alice.token, &["USERS_MANAGE", "USERS_VIEW", "AUDIT_VIEW"]).await.key;
    assert_eq!(app.get_as(&key, "/v1/audit-log").await.status(), 200);
    assert_eq!(patch_role(&app, &key, alice.user, "SOC_ANALYST_L2").await, 403);
    let block = format!("/v1/users/{}/block", alice.user);
    assert_eq!(app.post_as(&key, &block, &json!({})).await.status(), 403);
    let rename = json!({ "display_name": "Through a key" });
    assert_eq!(app.send_as(Method::PATCH, &key, "/v1/auth/me", &rename).await.status(), 403);

    assert_eq!(patch_role(&app, &boss.token, alice.user, "SOC_ANALYST_L1").await, 200);
    assert_eq!(app.get_as(&key, "/v1/audit-log").await.status(), 403, "the owner lost AUDIT_VIEW");
    assert_eq!(app.get_as(&key, "/v1/users").await.status(), 403, "and USERS_VIEW");
}

#[tokio::test]
async fn user_manager_cannot_promote_self() {
    let app = TestApp::spawn().await;
    let boss = app.admin_of("acme").await;
    grant(&app, &boss, "SOC_ANALYST_L1", &["USERS_MANAGE", "USERS_VIEW", "ALERTS_VIEW"]).await;
    let mallory = app.member(boss.tenant, "mallory@acme.test", Role::SOC_ANALYST_L1).await;
    let peer = app.member(boss.tenant, "peer@acme.test", Role::EXECUTIVE_READONLY).await;
    let before: Value = app.get_as(&mallory.token, "/v1/auth/me").await.json().await.unwrap();

    assert_eq!(patch_role(&app, &mallory.token, mallory.user, "TENANT_ADMIN").await, 403);
    assert_eq!(patch_role(&app, &mallory.token, mallory.user, "SOC_ANALYST_L1").await, 200);
    assert_eq!(patch_role(&app, &mallory.token, peer.user, "TENANT_ADMIN").await, 403);
    assert_eq!(patch_role(&app, &mallory.token, peer.user, "SOC_ANALYST_L1").await, 200);
    let after: Value = app.get_as(&mallory.token, "/v1/auth/me").await.json().await.unwrap();
    assert_eq!(before["permissions"], after["permissions"]);
    assert_eq!(
        patch_role(&app, &boss.token, boss.user, "SOC_ANALYST_L2").await,
        403,
        "not even admins"
    );
}

#[tokio::test]
async fn reset_of_role_matrix_needs_every_granted_permission() {
    let app = TestApp::spawn().await;
    let boss = app.admin_of("acme").await;
    grant(&app, &boss, "SOC_ANALYST_L1", &["ROLES_MANAGE", "ROLES_VIEW", "ALERTS_VIEW"]).await;
    grant(&app, &boss, "EXECUTIVE_READONLY", &[]).await;
    let editor = app.member(boss.tenant, "editor@acme.test", Role::SOC_ANALYST_L1).await;

    let refused = app.post_as(&editor.token, "/v1/roles/reset", &json!({})).await.problem().await;
    assert_eq!((refused.status, refused.code.as_str()), (403, "FORBIDDEN"));
    let matrix: Value = app.get_as(&boss.token, "/v1/roles").await.json().await.unwrap();
    let executive =
        matrix["roles"].as_array().unwrap().iter().find(|r| r["role"] == "EXECUTIVE_READONLY");
    assert_eq!(executive.unwrap()["permissions"], json!([]), "the restriction stays");

    assert_eq!(app.post_as(&boss.token, "/v1/roles/reset", &json!({})).await.status(), 200);
    let audit = app.audit_summaries("roles.reset").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["before"]["EXECUTIVE_READONLY"], json!([]));
    assert!(audit[0]["after"]["EXECUTIVE_READONLY"].as_array().unwrap().len() > 1);
}

#[tokio::test]
async fn last_tenant_admin_cannot_be_demoted() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let boss = app.admin_of("acme").await;
    let path = format!("/v1/users/{}", boss.user);
    let demote = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&admin)
        .header("x-tenant-id", boss.tenant.to_string())
        .json(&json!({ "role": "SOC_ANALYST_L1" }))
        .send()
        .await
        .unwrap()
        .problem()
        .await;
    assert_eq!((demote.status, demote.code.as_str()), (409, "LAST_TENANT_ADMIN"));
    for verb in ["block", "delete"] {
        let (method, path) = match verb {
            "block" => (Method::POST, format!("/v1/users/{}/block", boss.user)),
            _ => (Method::DELETE, path.clone()),
        };
        let refused = as_admin_in(&app, &admin, boss.tenant, method, &path).await.problem().await;
        assert_eq!(refused.code, "LAST_TENANT_ADMIN", "{verb}");
    }

    let deputy = app.member(boss.tenant, "deputy@acme.test", Role::TENANT_ADMIN).await;
    assert_eq!(patch_role(&app, &deputy.token, boss.user, "SOC_ANALYST_L1").await, 200);
    assert_eq!(patch_role(&app, &boss.token, deputy.user, "SOC_ANALYST_L1").await, 403);
    let block = format!("/v1/users/{}/block", deputy.user);
    let last = as_admin_in(&app, &admin, boss.tenant, Method::POST, &block).await;
    assert_eq!(last.problem().await.code, "LAST_TENANT_ADMIN");
}

#[tokio::test]
async fn registration_cannot_capture_an_invitation() {
    let smtp = SmtpReceiver::start().await;
    let app = TestApp::spawn_with(|settings| {
        mail_through(&smtp, settings);
        settings.identity.registration_enabled = true;
    })
    .await;
    let _jobs = app.start_jobs().await;
    let target = "newhire@acme.test";
    let attacker = "attackers-own-passphrase";
    let registered = json!({ "email": target, "password": attacker });
    let response = app.client.post(app.url("/v1/auth/register")).json(&registered).send().await;
    assert_eq!(response.unwrap().status(), 202);
    let login = json!({ "email": target, "password": attacker });
    let early = app.client.post(app.url("/v1/auth/login")).json(&login).send().await.unwrap();
    assert_eq!(
        early.problem().await.code,
        "EMAIL_NOT_VERIFIED",
        "an unverified account does nothing"
    );

    let boss = app.admin_of("acme").await;
    let invitation = json!({ "email": target, "role": "TENANT_ADMIN" });
    assert_eq!(app.post_as(&boss.token, "/v1/invitations", &invitation).await.status(), 202);
    let mail = mail_with(&smtp, target, "pinv_").await;
    let token = token_in(&mail, "pinv_");
    let real = json!({ "token": token, "password": "a-passphrase-of-their-own" });
    let accepted = app.client.post(app.url("/v1/invitations/accept")).json(&real).send().await;
    let accepted = accepted.unwrap();
    assert_eq!(accepted.status(), 200, "{}", accepted.text().await.unwrap());

    let late = app.client.post(app.url("/v1/auth/login")).json(&login).send().await.unwrap();
    assert_eq!(late.status(), 401, "the attacker's password no longer opens the account");
    app.login(target, "a-passphrase-of-their-own", Some("acme")).await;
}

#[tokio::test]
async fn access_token_of_a_revoked_family_is_refused() {
    let app = TestApp::spawn().await;
    let tenant = app.tenant("acme").await;
    let dana = app.member(tenant, "dana@acme.test", Role::SOC_ANALYST_L1).await;
    let refresh = |token: String| {
        let body = json!({ "refresh_token": token });
        app.client.post(app.url("/v1/auth/refresh")).json(&body).send()
    };
    let next: Value = refresh(dana.refresh_token.clone()).await.unwrap().json().await.unwrap();
    let second = next["access_token"].as_str().unwrap().to_string();
    assert_eq!(app.get_as(&second, "/v1/auth/me").await.status(), 200);
    // The first refresh token, replayed: the whole family is revoked, access tokens included.
    assert_eq!(refresh(dana.refresh_token.clone()).await.unwrap().status(), 401);
    assert_eq!(app.get_as(&second, "/v1/auth/me").await.status(), 401);
    assert_eq!(app.get_as(&dana.token, "/v1/auth/me").await.status(), 401);

    // Ending every session refuses a token issued within the same second.
    let fresh = testapp::access_token(&app.login(&dana.email, MEMBER_PASSWORD, None).await);
    app.services.identity.revoke_sessions(&RequestContext::default(), &dana.email).await.unwrap();
    assert_eq!(app.get_as(&fresh, "/v1/auth/me").await.status(), 401);
    let after = testapp::access_token(&app.login(&dana.email, MEMBER_PASSWORD, None).await);
    assert_eq!(app.get_as(&after, "/v1/auth/me").await.status(), 200);
}

/// A client whose requests come from the loopback address `127.0.0.<last>`.
fn client_from(last: u8) -> reqwest::Client {
    reqwest::Client::builder().local_address(IpAddr::from([127, 0, 0, last])).build().unwrap()
}

async fn login_from(app: &TestApp, client: &reqwest::Client, email: &str, password: &str) -> u16 {
    let body = json!({ "email": email, "password": password });
    client.post(app.url("/v1/auth/login")).json(&body).send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn an_attackers_failures_do_not_lock_out_a_colleague() {
    let app = TestApp::spawn().await;
    let tenant = app.tenant("acme").await;
    let victim = app.member(tenant, "victim@acme.test", Role::SOC_ANALYST_L1).await;
    let colleague = app.member(tenant, "colleague@acme.test", Role::SOC_ANALYST_L1).await;
    let (office, attacker_alone, home) = (client_from(2), client_from(3), client_from(4));
    assert_eq!(login_from(&app, &office, &colleague.email, MEMBER_PASSWORD).await, 200);

    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(login_from(&app, &attacker_alone, &victim.email, "guess-guess-guess").await);
    }
    assert!(statuses.contains(&401) && statuses.contains(&429), "{statuses:?}");
    assert_eq!(
        login_from(&app, &home, &victim.email, MEMBER_PASSWORD).await,
        200,
        "another address"
    );

    // Spraying from the shared office address never locks out a colleague who signs in there.
    for n in 0..60 {
        login_from(&app, &office, &format!("sprayed{n}@acme.test"), "guess-guess-guess").await;
    }
    assert_eq!(login_from(&app, &office, &colleague.email, MEMBER_PASSWORD).await, 200);
}

#[tokio::test]
async fn a_password_reset_by_email_ends_every_session_and_key() {
    let smtp = SmtpReceiver::start().await;
    let app = TestApp::spawn_with(|settings| mail_through(&smtp, settings)).await;
    let _jobs = app.start_jobs().await;
    let dana = app.admin_of("acme").await;
    let key = app.api_key(&dana.token, &["USERS_VIEW"]).await.key;
    let ask = |email: &str| {
        let body = json!({ "email": email });
        app.client.post(app.url("/v1/auth/password-reset")).json(&body).send()
    };
    let known: Value = ask(&dana.email).await.unwrap().expect_json(202).await;
    let unknown: Value = ask("nobody@acme.test").await.unwrap().expect_json(202).await;
    assert_eq!(known, unknown, "the same answer whether the address has an account");

    let token = token_in(&mail_to(&smtp, &dana.email).await, "prst_");
    let confirm = |password: &str| {
        let body = json!({ "token": token, "password": password });
        app.client.post(app.url("/v1/auth/password-reset/confirm")).json(&body).send()
    };
    assert_eq!(confirm("short").await.unwrap().status(), 422);
    assert_eq!(confirm("a-new-reset-passphrase").await.unwrap().status(), 204);
    assert_eq!(
        confirm("another-new-passphrase").await.unwrap().problem().await.code,
        "INVALID_TOKEN"
    );
    assert_eq!(app.get_as(&dana.token, "/v1/auth/me").await.status(), 401);
    assert_eq!(app.get_as(&key, "/v1/users").await.status(), 401);
    assert_eq!(login_from(&app, &app.client, &dana.email, MEMBER_PASSWORD).await, 401);
    app.login(&dana.email, "a-new-reset-passphrase", None).await;
    assert_eq!(app.audit_summaries("user.password_reset").await.len(), 1);
}

#[tokio::test]
async fn a_user_changes_their_own_password_and_their_other_sessions_end() {
    let app = TestApp::spawn().await;
    let tenant = app.tenant("acme").await;
    let dana = app.member(tenant, "dana@acme.test", Role::SOC_ANALYST_L1).await;
    let other = testapp::access_token(&app.login(&dana.email, MEMBER_PASSWORD, None).await);
    let change = |current: &str, new: &str| {
        let body = json!({ "current_password": current, "new_password": new });
        let request = app.client.post(app.url("/v1/auth/password")).bearer_auth(&dana.token);
        request.json(&body).send()
    };
    assert_eq!(change("wrong-wrong-wrong", "a-brand-new-passphrase").await.unwrap().status(), 401);
    assert_eq!(change(MEMBER_PASSWORD, "short").await.unwrap().status(), 422);
    assert_eq!(change(MEMBER_PASSWORD, "a-brand-new-passphrase").await.unwrap().status(), 204);
    assert_eq!(app.get_as(&dana.token, "/v1/auth/me").await.status(), 200, "this session goes on");
    assert_eq!(app.get_as(&other, "/v1/auth/me").await.status(), 401, "the others end");
    app.login(&dana.email, "a-brand-new-passphrase", None).await;
    assert_eq!(app.audit_summaries("user.change_password").await.len(), 1);
}
