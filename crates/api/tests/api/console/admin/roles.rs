//! `/admin/roles`: the matrix as a grid of checkboxes that an administrator saves or resets, a
//! read-only grid for `ROLES_VIEW`, refusals said above the grid, forged saves refused.

use super::{count, post_with_token, signed_in};
use platform::access::{Permission, Role};
use serde_json::Value;
use std::collections::BTreeSet;
use testapp::{ResponseExt, TestApp};

/// The permissions of `role` as `GET /v1/roles` answers them to `token`.
async fn grants(app: &TestApp, token: &str, role: Role) -> BTreeSet<String> {
    let matrix: Value = app.get_as(token, "/v1/roles").await.expect_json(200).await;
    let entry = matrix["roles"].as_array().unwrap().iter().find(|r| r["role"] == role.as_str());
    let names = entry.unwrap()["permissions"].as_array().unwrap();
    names.iter().map(|p| p.as_str().unwrap().to_string()).collect()
}

fn defaults(role: Role) -> BTreeSet<String> {
    role.default_permissions().iter().map(|p| p.as_str().to_string()).collect()
}

/// What a browser posts for the grid on `html`: the role fields and every box that is checked
/// and enabled, with `check` ticked and `clear` unticked.
fn grid_form(html: &str, check: &[&str], clear: &[&str]) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for tag in html.split('<').filter(|t| t.starts_with("input ")) {
        let value = tag.split("value=\"").nth(1).and_then(|v| v.split('"').next());
        let Some(value) = value else { continue };
        if tag.contains(r#"name="role""#) {
            fields.push(("role".to_string(), value.to_string()));
        }
        let ticked =
            (tag.contains(" checked") || check.contains(&value)) && !clear.contains(&value);
        if tag.contains(r#"name="grant""#) && ticked && !tag.contains(" disabled") {
            fields.push(("grant".to_string(), value.to_string()));
        }
    }
    fields
}

fn borrowed(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[tokio::test]
async fn the_grid_shows_every_role_and_permission_and_a_save_changes_the_matrix() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin).await;
    let page = browser.get("/admin/roles").await;
    assert_eq!(page.status, 200);
    let boxes = Permission::ALL.len() * Role::ALL.len();
    assert_eq!(count(&page.body, r#"type="checkbox""#), boxes, "one box per role and permission");
    assert!(page.body.contains(r#"value="GLOBAL_ADMIN:AUDIT_VIEW" aria-label="GLOBAL_ADMIN:AUDIT_VIEW" checked disabled"#), "the locked column is disabled");
    assert!(page.body.contains(
        r#"value="SOC_ANALYST_L1:ALERTS_VIEW" aria-label="SOC_ANALYST_L1:ALERTS_VIEW" checked>"#
    ));
    assert!(page.body.contains("Save") && page.body.contains("Reset to defaults"));

    let fields = grid_form(
        &page.body,
        &["SOC_ANALYST_L1:AUDIT_VIEW"],
        &["SOC_ANALYST_L1:CASES_VIEW", "EXECUTIVE_READONLY:REPORTS_VIEW"],
    );
    let saved =
        post_with_token(&mut browser, "/admin/roles", "/admin/roles", &borrowed(&fields)).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.location.as_deref(), Some("/admin/roles?done=saved"));
    let l1 = grants(&app, &admin.token, Role::SOC_ANALYST_L1).await;
    let mut expected = defaults(Role::SOC_ANALYST_L1);
    expected.insert("AUDIT_VIEW".into());
    expected.remove("CASES_VIEW");
    assert_eq!(l1, expected);
    let mut executive = defaults(Role::EXECUTIVE_READONLY);
    executive.remove("REPORTS_VIEW");
    assert_eq!(grants(&app, &admin.token, Role::EXECUTIVE_READONLY).await, executive);
    let untouched = grants(&app, &admin.token, Role::TENANT_ADMIN).await;
    assert_eq!(untouched, defaults(Role::TENANT_ADMIN), "other roles keep theirs");
    assert_eq!(app.audit_summaries("roles.update").await.len(), 1);

    let again = browser.get("/admin/roles?done=saved").await;
    assert!(again.body.contains("The role matrix was saved."));
    assert!(again.body.contains(
        r#"value="SOC_ANALYST_L1:AUDIT_VIEW" aria-label="SOC_ANALYST_L1:AUDIT_VIEW" checked>"#
    ));

    let reset = post_with_token(&mut browser, "/admin/roles", "/admin/roles/reset", &[]).await;
    assert_eq!(reset.status, 303);
    let l1 = grants(&app, &admin.token, Role::SOC_ANALYST_L1).await;
    assert_eq!(l1, defaults(Role::SOC_ANALYST_L1), "reset restores the defaults");
}

#[tokio::test]
async fn a_read_only_role_sees_a_disabled_grid_without_buttons_and_its_forged_saves_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let auditor = app.member(admin.tenant, "audrey@acme.test", Role::AUDITOR_READONLY).await;
    let mut browser = signed_in(&app, &auditor).await;
    let page = browser.get("/admin/roles").await;
    assert_eq!(page.status, 200);
    let boxes = count(&page.body, r#"type="checkbox""#);
    assert_eq!(boxes, Permission::ALL.len() * Role::ALL.len());
    assert_eq!(count(&page.body, " disabled>"), boxes, "every box is disabled");
    assert!(!page.body.contains("Save") && !page.body.contains("Reset to defaults"));
    assert!(!page.body.contains(r#"name="role""#));

    let forged = [("role", "SOC_ANALYST_L1"), ("grant", "SOC_ANALYST_L1:AUDIT_VIEW")];
    let refused = post_with_token(&mut browser, "/admin/roles", "/admin/roles", &forged).await;
    assert_eq!(refused.status, 403);
    let reset = post_with_token(&mut browser, "/admin/roles", "/admin/roles/reset", &[]).await;
    assert_eq!(reset.status, 403);
    assert_eq!(
        grants(&app, &admin.token, Role::SOC_ANALYST_L1).await,
        defaults(Role::SOC_ANALYST_L1)
    );
    assert!(app.audit_summaries("roles.update").await.is_empty());

    let analyst = app.member(admin.tenant, "lee@acme.test", Role::SOC_ANALYST_L1).await;
    let mut browser = signed_in(&app, &analyst).await;
    assert_eq!(browser.get("/admin/roles").await.status, 403, "no ROLES_VIEW, no grid");
}

#[tokio::test]
async fn a_save_the_service_refuses_is_said_above_the_grid_as_submitted_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin).await;
    let page = browser.get("/admin/roles").await;
    let lockout =
        grid_form(&page.body, &["SOC_ANALYST_L1:AUDIT_VIEW"], &["TENANT_ADMIN:ROLES_MANAGE"]);
    let refused =
        post_with_token(&mut browser, "/admin/roles", "/admin/roles", &borrowed(&lockout)).await;
    assert_eq!(refused.status, 422, "ROLE_LOCKED: {}", refused.body);
    assert!(refused.body.contains("TENANT_ADMIN must keep ROLES_MANAGE"), "{}", refused.body);
    assert!(
        refused.body.contains(
            r#"value="SOC_ANALYST_L1:AUDIT_VIEW" aria-label="SOC_ANALYST_L1:AUDIT_VIEW" checked>"#
        ),
        "the grid shows what was submitted"
    );

    for (fields, status) in [
        (vec![("role", "SOC_ANALYST_L1"), ("grant", "SOC_ANALYST_L1:FLY")], 422),
        (vec![("role", "NOBODY")], 422),
        (vec![("grant", "GLOBAL_ADMIN:AUDIT_VIEW")], 422),
        (vec![("grant", "SOC_ANALYST_L1:TENANTS_MANAGE")], 422),
        (vec![("grant", "no colon")], 400),
        (vec![], 422),
    ] {
        let answer = post_with_token(&mut browser, "/admin/roles", "/admin/roles", &fields).await;
        assert_eq!(answer.status, status, "{fields:?}: {}", answer.body);
    }
    for role in [Role::SOC_ANALYST_L1, Role::TENANT_ADMIN] {
        assert_eq!(grants(&app, &admin.token, role).await, defaults(role), "{role}");
    }
    assert!(app.audit_summaries("roles.update").await.is_empty());
}
