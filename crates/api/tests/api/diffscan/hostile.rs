//! Hostile input: NUL bytes, huge diffs, garbage and malformed diffs get a decision (or a clear
//! 4xx with a stable code), never a 500, and a refused request creates nothing.

use super::{AWS_DIFF, findings, finished, request_scan, rules_of};
use base64::Engine;
use serde_json::{Value, json};
use testapp::{ResponseExt, TestApp};

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

async fn decided(app: &TestApp, token: &str, body: Value) -> Value {
    let scan = request_scan(app, token, &body).await;
    finished(app, token, scan["id"].as_str().unwrap()).await
}

#[tokio::test]
async fn nul_bytes_garbage_and_malformed_diffs_are_decided_never_a_500() {
    let app = TestApp::spawn().await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;

    let problem = app
        .post_as(&admin.token, "/v1/diffscans", &json!({"diff": "a\u{0}b"}))
        .await
        .problem()
        .await;
    assert_eq!((problem.status, problem.code.as_str()), (400, "INVALID_JSON"));

    let with_nul = format!("{AWS_DIFF}+NUL = \"\0\0\0\"\n").into_bytes();
    let scan = decided(&app, &admin.token, json!({"diff_base64": base64(&with_nul)})).await;
    assert_eq!(scan["status"], "completed");
    assert!(scan["decision"].is_string());

    let garbage: Vec<u8> =
        (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let scan = decided(&app, &admin.token, json!({"diff_base64": base64(&garbage)})).await;
    assert_eq!(
        (scan["status"].as_str(), scan["decision"].as_str()),
        (Some("completed"), Some("error"))
    );

    let malformed = "diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,9 @@\n+one\n";
    let scan = decided(&app, &admin.token, json!({"diff": malformed})).await;
    assert_eq!(scan["status"], "completed");
    let rules = rules_of(
        &findings(&app, &admin.token, scan["id"].as_str().unwrap(), "family=integrity").await,
    );
    assert!(rules.iter().any(|r| r.starts_with("integrity.")), "{rules:?}");

    let escape = "diff --git a/../../etc/passwd b/../../etc/passwd\n--- a/../../etc/passwd\n+++ b/../../etc/passwd\n@@ -1 +1 @@\n-root\n+owned\n";
    let scan = decided(&app, &admin.token, json!({"diff": escape})).await;
    assert_eq!(scan["decision"], "fail");

    let empty = decided(&app, &admin.token, json!({"diff": ""})).await;
    assert_eq!(empty["decision"], "pass");
}

#[tokio::test]
async fn a_diff_over_the_configured_limit_is_an_error_decision_and_a_body_over_the_http_limit_is_413()
 {
    let app = TestApp::spawn_with(|settings| {
        settings.diffscan.max_diff_bytes = 2048;
        settings.http.body_limit_bytes = 64 * 1024;
    })
    .await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let huge = AWS_DIFF.repeat(20);
    let scan = decided(&app, &admin.token, json!({"diff": huge})).await;
    assert_eq!(scan["decision"], "error");
    assert_eq!(scan["scan_errors"][0]["code"], "input-too-large");

    let problem = app
        .post_as(&admin.token, "/v1/diffscans", &json!({"diff": "x".repeat(70 * 1024)}))
        .await
        .problem()
        .await;
    assert_eq!((problem.status, problem.code.as_str()), (413, "PAYLOAD_TOO_LARGE"));
}

#[tokio::test]
async fn requests_that_name_nothing_or_too_much_to_scan_are_422_and_create_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let cases = [
        (json!({}), "REQUIRED"),
        (json!({"diff": AWS_DIFF, "diff_base64": base64(b"x")}), "REQUIRED"),
        (json!({"diff_base64": "%%% not base64"}), "INVALID_BASE64"),
        (json!({"diff": AWS_DIFF, "baseline_id": uuid::Uuid::new_v4()}), "UNKNOWN_REFERENCE"),
        (
            json!({"github": {"installation_id": uuid::Uuid::new_v4(), "repository": "../x", "pull_request": 1}}),
            "INVALID_REPOSITORY",
        ),
        (
            json!({"github": {"installation_id": uuid::Uuid::new_v4(), "repository": "o/r", "pull_request": -4}}),
            "OUT_OF_RANGE",
        ),
        (json!({"diff": AWS_DIFF, "name": "bad\u{7}name"}), "INVALID_NAME"),
    ];
    for (body, code) in cases {
        let problem = app.post_as(&admin.token, "/v1/diffscans", &body).await.problem().await;
        assert_eq!((problem.status, problem.errors[0].code.as_str()), (422, code), "{body}");
    }
    let unknown =
        app.post_as(&admin.token, "/v1/diffscans", &json!({"diff": "x", "colour": "red"})).await;
    assert_eq!(unknown.status(), 400);
    let scans: Value = app.get_as(&admin.token, "/v1/diffscans").await.expect_json(200).await;
    assert!(scans["items"].as_array().unwrap().is_empty());
    for path in ["/v1/diffscans/not-a-uuid", "/v1/diffscans?cursor=%%%", "/v1/diffscans?status=%00"]
    {
        let status = app.get_as(&admin.token, path).await.status().as_u16();
        assert!((400..500).contains(&status), "{path}: {status}");
    }
}
