//! Joining a tenant by invitation, end to end through the test's own SMTP receiver: the
//! invitee reads the link from the mail and accepts it; what the inviter may grant; what the
//! inviter learns (nothing about the address); revoked, replaced and used links.

use crate::receivers::{SmtpReceiver, mail_through, mail_to, token_in};
use platform::access::Role;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use testapp::{ADMIN_EMAIL, MEMBER_PASSWORD, ResponseExt, TestApp};

const CHOSEN: &str = "a-freshly-chosen-passphrase";

async fn mailing_app() -> (TestApp, SmtpReceiver) {
    let smtp = SmtpReceiver::start().await;
    let app = TestApp::spawn_with(|settings| mail_through(&smtp, settings)).await;
    (app, smtp)
}

async fn invite(app: &TestApp, token: &str, email: &str, role: &str) -> reqwest::Response {
    app.post_as(token, "/v1/invitations", &json!({ "email": email, "role": role })).await
}

async fn accept(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    let body = json!({ "token": token, "password": password, "display_name": "New Person" });
    app.client.post(app.url("/v1/invitations/accept")).json(&body).send().await.unwrap()
}

#[tokio::test]
async fn an_invitee_without_an_account_accepts_by_mail_and_becomes_a_member() {
    let (app, smtp) = mailing_app().await;
    let _jobs = app.start_jobs().await;
    let boss = app.admin_of("acme").await;
    let sent: Value =
        invite(&app, &boss.token, "new@acme.test", "SOC_ANALYST_L1").await.expect_json(202).await;
    assert_eq!(
        (sent["status"].as_str(), sent["role"].as_str()),
        (Some("pending"), Some("SOC_ANALYST_L1"))
    );

    let mail = mail_to(&smtp, "new@acme.test").await;
    assert!(mail.contains("acme") && mail.contains("SOC_ANALYST_L1"), "{mail}");
    let token = token_in(&mail, "pinv_");
    let tokens: Value = accept(&app, &token, CHOSEN).await.expect_json(200).await;
    let me: Value = app
        .get_as(tokens["access_token"].as_str().unwrap(), "/v1/auth/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (me["tenant"]["slug"].as_str(), me["role"].as_str()),
        (Some("acme"), Some("SOC_ANALYST_L1"))
    );
    assert_eq!(me["user"]["display_name"], "New Person");
    app.login("new@acme.test", CHOSEN, Some("acme")).await;

    let again = accept(&app, &token, CHOSEN).await.problem().await;
    assert_eq!((again.status, again.code.as_str()), (400, "INVALID_TOKEN"));
    let listed: Value = app.get_as(&boss.token, "/v1/invitations").await.json().await.unwrap();
    assert_eq!(listed["items"][0]["status"], "accepted");
    assert_eq!(app.audit_summaries("user.invite").await.len(), 1);
    assert_eq!(app.audit_summaries("user.join").await.len(), 1);
}

#[tokio::test]
async fn an_existing_account_joins_with_its_own_password_and_nothing_else() {
    let (app, smtp) = mailing_app().await;
    let _jobs = app.start_jobs().await;
    let globex = app.tenant("globex").await;
    let dana = app.member(globex, "dana@globex.test", Role::SOC_ANALYST_L2).await;
    let boss = app.admin_of("acme").await;
    invite(&app, &boss.token, &dana.email, "AUDITOR_READONLY")
        .await
        .expect_json::<Value>(202)
        .await;
    let token = token_in(&mail_to(&smtp, &dana.email).await, "pinv_");

    for wrong in ["not-her-password-at-all", CHOSEN] {
        let refused = accept(&app, &token, wrong).await.problem().await;
        assert_eq!((refused.status, refused.code.as_str()), (401, "INVALID_CREDENTIALS"));
    }
    accept(&app, &token, MEMBER_PASSWORD).await.expect_json::<Value>(200).await;
    app.login(&dana.email, MEMBER_PASSWORD, Some("acme")).await;
    app.login(&dana.email, MEMBER_PASSWORD, Some("globex")).await;
}

#[tokio::test]
async fn inviting_an_existing_account_reveals_nothing() {
    let (app, _smtp) = mailing_app().await;
    let boss = app.admin_of("acme").await;
    let existing = invite(&app, &boss.token, ADMIN_EMAIL, "SOC_ANALYST_L1").await;
    let unknown = invite(&app, &boss.token, "nobody-here@acme.test", "SOC_ANALYST_L1").await;
    assert_eq!((existing.status().as_u16(), unknown.status().as_u16()), (202, 202));
    let (existing, unknown): (Value, Value) =
        (existing.json().await.unwrap(), unknown.json().await.unwrap());
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(keys(&existing), keys(&unknown));
    for leak in ["display_name", "is_global_admin", "is_protected", "user_id", "new_account"] {
        assert!(existing.get(leak).is_none(), "{leak} revealed: {existing}");
    }
    assert_eq!(existing["status"], unknown["status"]);
    let summaries = app.audit_summaries("user.invite").await;
    assert_eq!(keys(&summaries[0]), keys(&summaries[1]));
    // Nothing is attached without consent: the global administrator is no member of acme.
    let users: Value = app.get_as(&boss.token, "/v1/users").await.json().await.unwrap();
    assert!(users["items"].as_array().unwrap().iter().all(|u| u["email"] != ADMIN_EMAIL));
}

#[tokio::test]
async fn nobody_invites_to_a_role_that_grants_more_than_they_hold() {
    let (app, _smtp) = mailing_app().await;
    let boss = app.admin_of("acme").await;
    let grant =
        json!({ "roles": { "SOC_ANALYST_L1": ["USERS_MANAGE", "USERS_VIEW", "ALERTS_VIEW"] } });
    let changed = app.send_as(reqwest::Method::PUT, &boss.token, "/v1/roles", &grant).await;
    assert_eq!(changed.status(), 200);
    let manager = app.member(boss.tenant, "manager@acme.test", Role::SOC_ANALYST_L1).await;

    let refused = invite(&app, &manager.token, "x@acme.test", "TENANT_ADMIN").await.problem().await;
    assert_eq!((refused.status, refused.code.as_str()), (403, "FORBIDDEN"));
    assert!(refused.detail.contains("ROLES_MANAGE"), "{}", refused.detail);
    invite(&app, &manager.token, "y@acme.test", "SOC_ANALYST_L1")
        .await
        .expect_json::<Value>(202)
        .await;
    let crown = invite(&app, &boss.token, "z@acme.test", "GLOBAL_ADMIN").await.problem().await;
    assert_eq!(crown.status, 403);
}

#[tokio::test]
async fn bad_invitations_are_422s_and_without_mail_a_409() {
    let (app, _smtp) = mailing_app().await;
    let boss = app.admin_of("acme").await;
    for (body, field) in [
        (json!({"email": "not-an-email", "role": "SOC_ANALYST_L1"}), "email"),
        (json!({"email": "a@acme.test", "role": "EMPEROR"}), "role"),
    ] {
        let problem = app.post_as(&boss.token, "/v1/invitations", &body).await.problem().await;
        assert_eq!((problem.status, problem.errors[0].field.as_str()), (422, field), "{body}");
    }
    let with_password = json!({"email": "a@acme.test", "role": "SOC_ANALYST_L1", "password": "x"});
    let refused = app.post_as(&boss.token, "/v1/invitations", &with_password).await.problem().await;
    assert_eq!((refused.status, refused.code.as_str()), (400, "INVALID_JSON"), "never ignored");

    let quiet = TestApp::spawn().await;
    let boss = quiet.admin_of("acme").await;
    let problem =
        invite(&quiet, &boss.token, "a@acme.test", "SOC_ANALYST_L1").await.problem().await;
    assert_eq!((problem.status, problem.code.as_str()), (409, "MAIL_NOT_CONFIGURED"));
}

#[tokio::test]
async fn a_replaced_or_revoked_invitation_no_longer_opens() {
    let (app, smtp) = mailing_app().await;
    let _jobs = app.start_jobs().await;
    let boss = app.admin_of("acme").await;
    let first: Value =
        invite(&app, &boss.token, "ed@acme.test", "SOC_ANALYST_L1").await.json().await.unwrap();
    let first_token = token_in(&mail_to(&smtp, "ed@acme.test").await, "pinv_");
    let second: Value =
        invite(&app, &boss.token, "ed@acme.test", "SOC_ANALYST_L2").await.json().await.unwrap();
    assert_ne!(first["id"], second["id"]);
    assert_eq!(accept(&app, &first_token, CHOSEN).await.problem().await.code, "INVALID_TOKEN");

    let path = format!("/v1/invitations/{}", second["id"].as_str().unwrap());
    let revoked = app.client.delete(app.url(&path)).bearer_auth(&boss.token).send().await.unwrap();
    assert_eq!(revoked.json::<Value>().await.unwrap()["status"], "revoked");
    let again = app.client.delete(app.url(&path)).bearer_auth(&boss.token).send().await.unwrap();
    assert_eq!(again.problem().await.code, "INVITATION_CLOSED");
    let forged = format!("{}x", first_token);
    assert_eq!(accept(&app, &forged, CHOSEN).await.problem().await.code, "INVALID_TOKEN");
}
