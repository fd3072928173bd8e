//! HTTP tests of a membership's life in /v1/users: role changes, blocking, soft-deleting and
//! restoring, protected administrators, and who may do which (helpers come from `users.rs`).

use super::{action, delete, id_of, json_of, login_status, patch, user_audit};
use platform::TenantId;
use platform::access::Role;
use reqwest::Method;
use serde_json::{Value, json};
use testapp::{ADMIN_EMAIL, ADMIN_PASSWORD, MEMBER_PASSWORD, TestApp};

#[tokio::test]
async fn a_role_change_takes_effect_on_the_next_request_with_the_same_token() {
    let app = TestApp::spawn().await;
    let acme = app.tenant("acme").await;
    let boss = app.member(acme, "boss@acme.test", Role::TENANT_ADMIN).await;
    let analyst = app.member(acme, "analyst@acme.test", Role::SOC_ANALYST_L1).await;
    assert_eq!(app.get_as(&analyst.token, "/v1/users").await.status(), 403);

    let (status, body) =
        patch(&app, &boss.token, analyst.user, json!({ "role": "SOC_ANALYST_L2" })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["role"], "SOC_ANALYST_L2");
    assert_eq!(app.get_as(&analyst.token, "/v1/users").await.status(), 200);
    assert_eq!(user_audit(&app, acme, &id_of(analyst.user)).await, ["user.update"]);

    let (status, body) = patch(&app, &boss.token, analyst.user, json!({ "role": "WIZARD" })).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("role")));
}

#[tokio::test]
async fn the_protected_admin_cannot_be_deleted_blocked_or_demoted() {
    let app = TestApp::spawn().await;
    let admin_token = app.admin_token().await;
    let me: Value = app.get_as(&admin_token, "/v1/auth/me").await.json().await.unwrap();
    let (admin, default) =
        (me["user"]["id"].as_str().unwrap().to_string(), me["tenant"]["id"].as_str().unwrap());
    let default = TenantId::parse(default).unwrap();
    let deputy = app.member(default, "deputy@palisade.test", Role::TENANT_ADMIN).await;

    for token in [&admin_token, &deputy.token] {
        for (status, body) in [
            delete(&app, token, &admin).await,
            action(&app, token, &admin, "block").await,
            patch(&app, token, &admin, json!({ "role": "TENANT_ADMIN" })).await,
        ] {
            assert_eq!(status, 409, "{body}");
            assert_eq!(body["code"], "USER_PROTECTED");
        }
    }
    let (_, shown) = json_of(app.get_as(&admin_token, &format!("/v1/users/{admin}")).await).await;
    assert_eq!(
        (shown["role"].as_str(), shown["is_protected"].as_bool()),
        (Some("GLOBAL_ADMIN"), Some(true))
    );
    assert_eq!(login_status(&app, ADMIN_EMAIL, ADMIN_PASSWORD, default).await, 200);
    assert!(user_audit(&app, default, &admin).await.is_empty());
}

#[tokio::test]
async fn a_blocked_member_is_locked_out_at_once_and_restore_lets_them_back() {
    let app = TestApp::spawn().await;
    let acme = app.tenant("acme").await;
    let boss = app.member(acme, "boss@acme.test", Role::TENANT_ADMIN).await;
    let member = app.member(acme, "member@acme.test", Role::SOC_ANALYST_L1).await;
    assert_eq!(app.get_as(&member.token, "/v1/auth/me").await.status(), 200);

    let (status, body) = action(&app, &boss.token, member.user, "block").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["membership_status"], "blocked");
    assert_eq!(app.get_as(&member.token, "/v1/auth/me").await.status(), 401);
    assert_eq!(login_status(&app, &member.email, MEMBER_PASSWORD, acme).await, 401);
    let refresh = json!({ "refresh_token": member.refresh_token });
    let refreshed =
        app.client.post(app.url("/v1/auth/refresh")).json(&refresh).send().await.unwrap();
    assert_eq!(refreshed.status(), 401);

    let (status, body) = action(&app, &boss.token, member.user, "restore").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["membership_status"], "active");
    assert_eq!(login_status(&app, &member.email, MEMBER_PASSWORD, acme).await, 200);
    assert_eq!(user_audit(&app, acme, &id_of(member.user)).await, ["user.block", "user.restore"]);
}

#[tokio::test]
async fn a_deleted_member_stays_listed_as_deleted_until_restored() {
    let app = TestApp::spawn().await;
    let acme = app.tenant("acme").await;
    let boss = app.member(acme, "boss@acme.test", Role::TENANT_ADMIN).await;
    let member = app.member(acme, "member@acme.test", Role::SOC_ANALYST_L1).await;

    assert_eq!(delete(&app, &boss.token, member.user).await.0, 204);
    assert_eq!(app.get_as(&member.token, "/v1/auth/me").await.status(), 401);
    let (_, shown) =
        json_of(app.get_as(&boss.token, &format!("/v1/users/{}", member.user)).await).await;
    assert_eq!(shown["membership_status"], "deleted");
    assert_eq!(login_status(&app, &member.email, MEMBER_PASSWORD, acme).await, 401);
    assert_eq!(
        delete(&app, &boss.token, member.user).await.0,
        204,
        "deleting again changes nothing"
    );

    assert_eq!(action(&app, &boss.token, member.user, "restore").await.0, 200);
    assert_eq!(login_status(&app, &member.email, MEMBER_PASSWORD, acme).await, 200);
    assert_eq!(user_audit(&app, acme, &id_of(member.user)).await, ["user.delete", "user.restore"]);
}

#[tokio::test]
async fn blocking_a_user_in_one_tenant_leaves_their_other_tenants_alone() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.tenant("alpha").await, app.tenant("beta").await);
    let alice = app.member(a, "alice@alpha.test", Role::SOC_ANALYST_L1).await;
    let bob = app.member(b, "bob@beta.test", Role::TENANT_ADMIN).await;
    app.add_membership(b, alice.user, Role::SOC_ANALYST_L1).await;

    assert_eq!(action(&app, &bob.token, alice.user, "block").await.0, 200);
    assert_eq!(login_status(&app, &alice.email, MEMBER_PASSWORD, b).await, 401);
    assert_eq!(login_status(&app, &alice.email, MEMBER_PASSWORD, a).await, 200);
    assert_eq!(app.get_as(&alice.token, "/v1/auth/me").await.status(), 200);
}

#[tokio::test]
async fn a_tenant_admin_cannot_grant_global_admin_but_a_global_admin_can() {
    let app = TestApp::spawn().await;
    let acme = app.tenant("acme").await;
    let boss = app.member(acme, "boss@acme.test", Role::TENANT_ADMIN).await;
    let analyst = app.member(acme, "analyst@acme.test", Role::SOC_ANALYST_L1).await;
    let (status, body) =
        patch(&app, &boss.token, analyst.user, json!({ "role": "GLOBAL_ADMIN" })).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("FORBIDDEN")));
    let request = json!({ "email": "crown@acme.test", "role": "GLOBAL_ADMIN" });
    assert_eq!(app.post_as(&boss.token, "/v1/invitations", &request).await.status(), 403);
    assert!(user_audit(&app, acme, &id_of(analyst.user)).await.is_empty());

    let admin_token = app.admin_token().await;
    let me: Value = app.get_as(&admin_token, "/v1/auth/me").await.json().await.unwrap();
    let default = TenantId::parse(me["tenant"]["id"].as_str().unwrap()).unwrap();
    let deputy = app.member(default, "deputy@palisade.test", Role::TENANT_ADMIN).await;
    let (status, body) =
        patch(&app, &admin_token, deputy.user, json!({ "role": "GLOBAL_ADMIN" })).await;
    assert_eq!((status, body["role"].as_str()), (200, Some("GLOBAL_ADMIN")), "{body}");
}

#[tokio::test]
async fn a_name_is_changed_by_its_owner_or_a_global_admin_never_by_a_tenant_admin() {
    let app = TestApp::spawn().await;
    let acme = app.tenant("acme").await;
    let boss = app.member(acme, "boss@acme.test", Role::TENANT_ADMIN).await;
    let analyst = app.member(acme, "analyst@acme.test", Role::SOC_ANALYST_L1).await;
    let rename = json!({ "display_name": "  Ana Lyst  " });
    let (status, body) = patch(&app, &boss.token, analyst.user, rename.clone()).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("FORBIDDEN")), "{body}");

    let own = app.send_as(Method::PATCH, &analyst.token, "/v1/auth/me", &rename).await;
    let me: Value = own.json().await.unwrap();
    assert_eq!(me["user"]["display_name"], "Ana Lyst");
    let shown: Value =
        app.get_as(&boss.token, &format!("/v1/users/{}", analyst.user)).await.json().await.unwrap();
    assert_eq!(shown["display_name"], "Ana Lyst");
    assert_eq!(app.audit_summaries("user.update_profile").await.len(), 1);
    let empty = json!({ "display_name": "" });
    let refused = app.send_as(Method::PATCH, &analyst.token, "/v1/auth/me", &empty).await;
    assert_eq!(refused.status(), 422);

    let admin = app.admin_token().await;
    let by_admin = app
        .client
        .patch(app.url(&format!("/v1/users/{}", analyst.user)))
        .bearer_auth(&admin)
        .header("x-tenant-id", acme.to_string())
        .json(&json!({ "display_name": "Analyst One" }))
        .send()
        .await
        .unwrap();
    assert_eq!(by_admin.status(), 200);
    assert_eq!(by_admin.json::<Value>().await.unwrap()["display_name"], "Analyst One");
}

#[tokio::test]
async fn members_cannot_block_or_delete_themselves() {
    let app = TestApp::spawn().await;
    let acme = app.tenant("acme").await;
    let boss = app.member(acme, "boss@acme.test", Role::TENANT_ADMIN).await;
    assert_eq!(action(&app, &boss.token, boss.user, "block").await.0, 403);
    assert_eq!(delete(&app, &boss.token, boss.user).await.0, 403);
    assert_eq!(app.get_as(&boss.token, "/v1/users").await.status(), 200);
}

#[tokio::test]
async fn an_analyst_cannot_invite_and_anonymous_callers_get_401() {
    let app = TestApp::spawn().await;
    let acme = app.tenant("acme").await;
    let analyst = app.member(acme, "analyst@acme.test", Role::SOC_ANALYST_L1).await;
    let request = json!({ "email": "friend@acme.test", "role": "SOC_ANALYST_L1" });
    let (status, body) =
        json_of(app.post_as(&analyst.token, "/v1/invitations", &request).await).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("FORBIDDEN")));
    assert_eq!(app.get("/v1/users").await.status(), 401);
    let anonymous =
        app.client.post(app.url("/v1/invitations")).json(&request).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
}
