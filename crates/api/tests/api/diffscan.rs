//! Diffscan through the API: scans end to end (queued, scanned by the job runner, decided,
//! signed), idempotency, policies and fail-open/closed, exceptions and their expiry, baselines,
//! tenant rule packs, roles, hostile input, purging raw diffs, and GitHub pull requests against a
//! local GitHub that checks what it is sent.

mod access;
mod config;
mod github;
mod github_server;
mod hostile;
mod idempotency;
mod purge;
mod scans;
mod signing;

use serde_json::{Value, json};
use std::time::Duration;
use testapp::TestApp;

/// A diff that adds an AWS access key id and its secret to a settings file: two blocking
/// findings under the default policy.
pub const AWS_DIFF: &str = "diff --git a/src/settings.py b/src/settings.py
index 6d4cacf..aba4875 100644
--- a/src/settings.py
+++ b/src/settings.py
@@ -10,2 +10,4 @@
 REGION = 'eu-west-1'
+AWS_ACCESS_KEY_ID = \"AKIAVQJXXVBOTHD0WTFL\"
+AWS_SECRET_ACCESS_KEY = \"PDZpAemm1za7v0fHhvjwdbT2HwDqzuM14qHOXHlp\"
 BUCKET = 'reports'
";

/// A refactoring that finds nothing.
pub const CLEAN_DIFF: &str = "diff --git a/src/parse.rs b/src/parse.rs
index 82b4440..1683436 100644
--- a/src/parse.rs
+++ b/src/parse.rs
@@ -50,4 +50,4 @@ impl Parser
 fn parse_line(line: &str) -> Option<Entry> {
-    let parts: Vec<&str> = line.split(',').collect();
-    Entry::from_parts(&parts)
+    let fields: Vec<&str> = line.split(',').collect();
+    Entry::from_parts(&fields)
 }
";

/// Requests a scan of `body`; panics unless it is accepted (202). Returns the queued scan.
pub async fn request_scan(app: &TestApp, token: &str, body: &Value) -> Value {
    let response = app.post_as(token, "/v1/diffscans", body).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 202, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// Requests a scan of `diff` as text.
pub async fn scan_diff(app: &TestApp, token: &str, diff: &str) -> Value {
    request_scan(app, token, &json!({ "diff": diff })).await
}

/// The scan `id` once it has a decision (the job runner must be started).
pub async fn finished(app: &TestApp, token: &str, id: &str) -> Value {
    for _ in 0..600 {
        let scan: Value =
            app.get_as(token, &format!("/v1/diffscans/{id}")).await.json().await.unwrap();
        if scan["status"] == "completed" || scan["status"] == "failed" {
            return scan;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("scan {id} did not finish");
}

/// Requests a scan of `diff` and waits for its decision.
pub async fn scanned(app: &TestApp, token: &str, diff: &str) -> Value {
    let scan = scan_diff(app, token, diff).await;
    finished(app, token, scan["id"].as_str().unwrap()).await
}

/// The findings of a scan (first page of 200).
pub async fn findings(app: &TestApp, token: &str, id: &str, query: &str) -> Vec<Value> {
    let response =
        app.get_as(token, &format!("/v1/diffscans/{id}/findings?limit=200&{query}")).await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    page["items"].as_array().unwrap().clone()
}

/// Rule ids of a list of findings, sorted and de-duplicated.
pub fn rules_of(findings: &[Value]) -> Vec<String> {
    let mut rules: Vec<String> =
        findings.iter().map(|f| f["rule_id"].as_str().unwrap().to_string()).collect();
    rules.sort();
    rules.dedup();
    rules
}
