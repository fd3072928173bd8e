//! Who may do what: each diffscan operation needs its permission, so the role one down from the
//! one that may is refused with 403 (and nothing changes), and another tenant's scans answer 404.

use super::{AWS_DIFF, finished, scan_diff};
use platform::access::Role;
use serde_json::{Value, json};
use testapp::{ResponseExt, TestApp};

#[tokio::test]
async fn the_role_one_down_from_each_diffscan_permission_is_refused_with_403() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let tenant = admin.tenant;
    // SOC_ANALYST_L1 views but does not run; SOC_ANALYST_L2 runs but does not manage policies;
    // EXECUTIVE_READONLY does not even view.
    let viewer = app.member(tenant, "l1@acme.test", Role::SOC_ANALYST_L1).await;
    let runner = app.member(tenant, "l2@acme.test", Role::SOC_ANALYST_L2).await;
    let engineer = app.member(tenant, "de@acme.test", Role::DETECTION_ENGINEER).await;
    let executive = app.member(tenant, "exec@acme.test", Role::EXECUTIVE_READONLY).await;
    let scan = scan_diff(&app, &runner.token, AWS_DIFF).await;
    let id = scan["id"].as_str().unwrap();

    let refused = |token: &str, method: reqwest::Method, path: String, body: Value| {
        let (app, token) = (&app, token.to_string());
        async move {
            let problem = app.send_as(method, &token, &path, &body).await.problem().await;
            assert_eq!((problem.status, problem.code.as_str()), (403, "FORBIDDEN"), "{path}");
        }
    };
    refused(
        &viewer.token,
        reqwest::Method::POST,
        "/v1/diffscans".into(),
        json!({"diff": AWS_DIFF}),
    )
    .await;
    refused(&viewer.token, reqwest::Method::GET, format!("/v1/diffscans/{id}/diff"), json!({}))
        .await;
    refused(&viewer.token, reqwest::Method::DELETE, format!("/v1/diffscans/{id}/diff"), json!({}))
        .await;
    for path in [
        "/v1/diffscan/policies",
        "/v1/diffscan/exceptions",
        "/v1/diffscan/baselines",
        "/v1/diffscan/rule-packs",
        "/v1/diffscan/github/installations",
    ] {
        refused(&runner.token, reqwest::Method::POST, path.into(), json!({"name": "x"})).await;
    }
    for path in
        [format!("/v1/diffscans/{id}"), "/v1/diffscans".into(), "/v1/diffscan/policies".into()]
    {
        refused(&executive.token, reqwest::Method::GET, path, json!({})).await;
    }

    // One role up, each is allowed.
    assert_eq!(app.get_as(&viewer.token, &format!("/v1/diffscans/{id}")).await.status(), 200);
    assert_eq!(app.get_as(&runner.token, &format!("/v1/diffscans/{id}/diff")).await.status(), 200);
    let policy = app
        .post_as(
            &engineer.token,
            "/v1/diffscan/policies",
            &json!({"name": "team", "policy": {"profile": "strict"}}),
        )
        .await;
    assert_eq!(policy.status(), 201);
    let scans: Value = app.get_as(&admin.token, "/v1/diffscans").await.expect_json(200).await;
    assert_eq!(scans["items"].as_array().unwrap().len(), 1, "the refused requests created nothing");
}

#[tokio::test]
async fn another_tenants_scan_its_findings_artifact_and_diff_answer_404() {
    let app = TestApp::spawn().await;
    let _jobs = app.start_jobs().await;
    let owner = app.admin_of("acme").await;
    let intruder = app.admin_of("globex").await;
    let scan = scan_diff(&app, &owner.token, AWS_DIFF).await;
    let id = scan["id"].as_str().unwrap();
    finished(&app, &owner.token, id).await;
    for view in ["", "/findings", "/artifact", "/report.html", "/report.sarif", "/diff"] {
        let problem =
            app.get_as(&intruder.token, &format!("/v1/diffscans/{id}{view}")).await.problem().await;
        assert_eq!((problem.status, problem.code.as_str()), (404, "NOT_FOUND"), "{view}");
    }
    let listed: Value = app.get_as(&intruder.token, "/v1/diffscans").await.expect_json(200).await;
    assert!(listed["items"].as_array().unwrap().is_empty());
    // Using another tenant's policy or baseline by id is refused as unknown.
    let policy: Value = app
        .post_as(&owner.token, "/v1/diffscan/policies", &json!({"name": "p", "policy": {}}))
        .await
        .expect_json(201)
        .await;
    let problem = app
        .post_as(
            &intruder.token,
            "/v1/diffscans",
            &json!({"diff": AWS_DIFF, "policy_id": policy["id"]}),
        )
        .await
        .problem()
        .await;
    assert_eq!((problem.status, problem.errors[0].code.as_str()), (422, "UNKNOWN_REFERENCE"));
}
