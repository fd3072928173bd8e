//! HTTP tests of /v1/roles: the matrix, edits that apply to the very next request, reset, the
//! lock-out and escalation guards, and tenant isolation.

use platform::access::{Permission, Role};
use serde_json::{Value, json};
use testapp::TestApp;

async fn put_roles(app: &TestApp, token: &str, roles: Value) -> reqwest::Response {
    app.send_as(reqwest::Method::PUT, token, "/v1/roles", &json!({ "roles": roles })).await
}

async fn matrix(app: &TestApp, token: &str) -> Value {
    let response = app.get_as(token, "/v1/roles").await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn permissions_of(matrix: &Value, role: Role) -> Vec<String> {
    let entry =
        matrix["roles"].as_array().unwrap().iter().find(|r| r["role"] == role.as_str()).unwrap();
    entry["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().into()).collect()
}

fn defaults(role: Role) -> Vec<String> {
    role.default_permissions().iter().map(|p| p.as_str().to_string()).collect()
}

#[tokio::test]
async fn the_matrix_lists_the_eight_roles_with_their_defaults_and_every_permission() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let shown = matrix(&app, &admin.token).await;
    let roles = shown["roles"].as_array().unwrap();
    assert_eq!(roles.len(), 8);
    for role in Role::ALL {
        assert_eq!(permissions_of(&shown, *role), defaults(*role), "{role}");
    }
    assert_eq!(roles[0]["role"], "GLOBAL_ADMIN");
    assert_eq!(roles[0]["locked"], true);
    assert_eq!(roles[1]["locked"], false);
    assert_eq!(shown["permissions"].as_array().unwrap().len(), Permission::ALL.len());
}

#[tokio::test]
async fn granting_audit_view_to_l1_applies_to_the_same_token_at_once_and_reset_removes_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let analyst = app.member(admin.tenant, "l1@acme.test", Role::SOC_ANALYST_L1).await;
    assert_eq!(app.get_as(&analyst.token, "/v1/audit-log").await.status(), 403);

    let mut wanted = defaults(Role::SOC_ANALYST_L1);
    wanted.push("AUDIT_VIEW".into());
    let response = put_roles(&app, &admin.token, json!({ "SOC_ANALYST_L1": wanted })).await;
    assert_eq!(response.status(), 200);
    let after: Value = response.json().await.unwrap();
    assert!(permissions_of(&after, Role::SOC_ANALYST_L1).contains(&"AUDIT_VIEW".to_string()));
    assert_eq!(permissions_of(&after, Role::SOC_ANALYST_L2), defaults(Role::SOC_ANALYST_L2));
    assert_eq!(app.get_as(&analyst.token, "/v1/audit-log").await.status(), 200);

    let reset = app.post_as(&admin.token, "/v1/roles/reset", &json!({})).await;
    assert_eq!(reset.status(), 200);
    assert_eq!(app.get_as(&analyst.token, "/v1/audit-log").await.status(), 403);

    let updates = app.audit_summaries("roles.update").await;
    assert_eq!(updates.len(), 1);
    assert_eq!(
        updates[0]["roles"]["SOC_ANALYST_L1"],
        json!({"added": ["AUDIT_VIEW"], "removed": []})
    );
    let resets = app.audit_summaries("roles.reset").await;
    assert_eq!(resets.len(), 1);
    assert_eq!(
        resets[0]["roles"]["SOC_ANALYST_L1"],
        json!({"added": [], "removed": ["AUDIT_VIEW"]})
    );
}

#[tokio::test]
async fn locked_roles_and_lock_out_edits_answer_422_role_locked() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    for roles in [
        json!({ "GLOBAL_ADMIN": ["AUDIT_VIEW"] }),
        json!({ "TENANT_ADMIN": ["USERS_VIEW", "ROLES_VIEW"] }),
    ] {
        let response = put_roles(&app, &admin.token, roles.clone()).await;
        assert_eq!(response.status(), 422, "{roles}");
        assert_eq!(response.json::<Value>().await.unwrap()["code"], "ROLE_LOCKED");
    }
    assert!(app.audit_summaries("roles.update").await.is_empty());
    assert_eq!(
        matrix(&app, &admin.token).await["roles"][1]["permissions"].as_array().unwrap().len(),
        defaults(Role::TENANT_ADMIN).len()
    );
}

#[tokio::test]
async fn unknown_roles_and_permissions_answer_422_naming_roles() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    for roles in [
        json!({ "KING": ["AUDIT_VIEW"] }),
        json!({ "SOC_ANALYST_L1": ["FLY"] }),
        json!({ "SOC_ANALYST_L1": ["TENANTS_MANAGE"] }),
        json!({}),
    ] {
        let response = put_roles(&app, &admin.token, roles.clone()).await;
        assert_eq!(response.status(), 422, "{roles}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["code"], "VALIDATION_FAILED");
        assert_eq!(problem["errors"][0]["field"], "roles", "{roles}");
    }
}

#[tokio::test]
async fn an_editor_cannot_grant_a_permission_they_do_not_hold() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut l2 = defaults(Role::SOC_ANALYST_L2);
    l2.push("ROLES_MANAGE".into());
    assert_eq!(put_roles(&app, &admin.token, json!({ "SOC_ANALYST_L2": l2 })).await.status(), 200);
    let editor = app.member(admin.tenant, "l2@acme.test", Role::SOC_ANALYST_L2).await;

    let mut l1 = defaults(Role::SOC_ANALYST_L1);
    l1.push("API_KEYS_MANAGE".into());
    let refused = put_roles(&app, &editor.token, json!({ "SOC_ANALYST_L1": l1 })).await;
    assert_eq!(refused.status(), 403);
    let mut l1 = defaults(Role::SOC_ANALYST_L1);
    l1.push("CASES_MANAGE".into());
    assert_eq!(put_roles(&app, &editor.token, json!({ "SOC_ANALYST_L1": l1 })).await.status(), 200);
}

#[tokio::test]
async fn editing_roles_in_one_tenant_leaves_another_tenants_matrix_alone() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.admin_of("acme").await, app.admin_of("globex").await);
    let response =
        put_roles(&app, &a.token, json!({ "EXECUTIVE_READONLY": ["REPORTS_VIEW"] })).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        permissions_of(&matrix(&app, &a.token).await, Role::EXECUTIVE_READONLY),
        ["REPORTS_VIEW"]
    );
    assert_eq!(
        permissions_of(&matrix(&app, &b.token).await, Role::EXECUTIVE_READONLY),
        defaults(Role::EXECUTIVE_READONLY)
    );
}

#[tokio::test]
async fn roles_need_a_token_and_view_or_manage_permission() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/v1/roles").await.status(), 401);
    let tenant = app.tenant("acme").await;
    let analyst = app.member(tenant, "l1@acme.test", Role::SOC_ANALYST_L1).await;
    assert_eq!(app.get_as(&analyst.token, "/v1/roles").await.status(), 403);
    let auditor = app.member(tenant, "audit@acme.test", Role::AUDITOR_READONLY).await;
    assert_eq!(app.get_as(&auditor.token, "/v1/roles").await.status(), 200);
    let edit = put_roles(&app, &auditor.token, json!({ "SOC_ANALYST_L1": [] })).await;
    assert_eq!(edit.status(), 403);
    assert_eq!(app.post_as(&auditor.token, "/v1/roles/reset", &json!({})).await.status(), 403);
}
