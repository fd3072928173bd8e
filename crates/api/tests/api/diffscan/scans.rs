//! A scan end to end: queued with its job, decided by the job runner, its findings listed, its
//! result signed (and verified here offline with the published key), shown as HTML and SARIF,
//! announced as a `diffscan.completed` event, counted in the metrics and audited.

use super::{AWS_DIFF, CLEAN_DIFF, findings, finished, rules_of, scan_diff, scanned};
use base64::Engine;
use diffscan_engine::{VerificationKey, verify_artifact};
use serde_json::Value;
use testapp::{ResponseExt, TestApp};

#[tokio::test]
async fn a_diff_adding_aws_keys_fails_with_its_findings_and_a_signed_result() {
    let app = TestApp::spawn().await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let queued =
        app.post_as(&admin.token, "/v1/diffscans", &serde_json::json!({"diff": AWS_DIFF})).await;
    assert_eq!(queued.status(), 202);
    let location = queued.headers()["location"].to_str().unwrap().to_string();
    let queued: Value = queued.json().await.unwrap();
    let id = queued["id"].as_str().unwrap();
    assert_eq!(location, format!("/v1/diffscans/{id}"));
    assert_eq!(queued["source"], "api");
    assert_eq!(queued["requested_by"]["type"], "user");
    assert!(queued["diff"]["stored"].as_bool().unwrap());

    let scan = finished(&app, &admin.token, id).await;
    assert_eq!(scan["status"], "completed");
    assert_eq!(scan["decision"], "fail");
    assert_eq!(scan["degraded"], false);
    assert!(scan["findings"]["blocking"].as_i64().unwrap() >= 2, "{scan}");
    assert_eq!(scan["stats"]["files"], 1);
    assert_eq!(scan["engine"]["profile"], "default");
    assert_eq!(scan["engine"]["on_error"], "fail-closed");

    let found = findings(&app, &admin.token, id, "").await;
    let rules = rules_of(&found);
    assert!(rules.contains(&"secrets.aws-access-key-id".to_string()), "{rules:?}");
    assert!(rules.contains(&"secrets.aws-secret-access-key".to_string()), "{rules:?}");
    let text = serde_json::to_string(&found).unwrap();
    assert!(!text.contains("PDZpAemm1za7v0fHhvjwdbT2HwDqzuM14qHOXHlp"), "the secret is redacted");
    let blocking =
        findings(&app, &admin.token, id, "blocking=true&family=secrets&min_severity=high").await;
    assert_eq!(blocking.len() as i64, scan["findings"]["blocking"].as_i64().unwrap());
    assert!(blocking.iter().all(|f| f["path"] == "src/settings.py" && f["start_line"].is_number()));

    // The signed result verifies offline with the published key, and names this diff.
    let keys: Value =
        app.get_as(&admin.token, "/v1/diffscan/signing-keys").await.expect_json(200).await;
    let key = &keys["items"][0];
    assert_eq!(
        (key["algorithm"].as_str(), key["development"].as_bool()),
        (Some("ed25519"), Some(false))
    );
    let public = base64::engine::general_purpose::STANDARD
        .decode(key["public_key"].as_str().unwrap())
        .unwrap();
    let artifact = app.get_as(&admin.token, &format!("/v1/diffscans/{id}/artifact")).await;
    assert_eq!(artifact.headers()["content-type"], "application/json");
    let artifact = artifact.bytes().await.unwrap();
    let verified =
        verify_artifact(&artifact, &[VerificationKey::ed25519(&public).unwrap()]).unwrap();
    assert_eq!(verified.key_id, key["key_id"].as_str().unwrap());
    assert_eq!(verified.key_id, scan["artifact_key_id"].as_str().unwrap());
    assert_eq!(verified.report().decision.as_str(), "fail");
    assert_eq!(verified.statement.diff_sha256(), scan["diff"]["sha256"].as_str().unwrap());
    assert!(!verified.development_key);
    let other = VerificationKey::ed25519(&[9u8; 32]);
    assert!(other.is_err() || verify_artifact(&artifact, &[other.unwrap()]).is_err());

    let html = app.get_as(&admin.token, &format!("/v1/diffscans/{id}/report.html")).await;
    assert_eq!(html.status(), 200);
    assert!(html.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(
        html.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'")
    );
    let page = html.text().await.unwrap();
    assert!(page.contains("Fail") && page.contains("secrets.aws-access-key-id"));
    assert!(!page.contains("<script"));

    let sarif = app.get_as(&admin.token, &format!("/v1/diffscans/{id}/report.sarif")).await;
    assert_eq!(sarif.headers()["content-type"], "application/sarif+json");
    let sarif: Value = sarif.json().await.unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(results[0]["partialFingerprints"].is_object());

    let raw = app.get_as(&admin.token, &format!("/v1/diffscans/{id}/diff")).await;
    assert_eq!(raw.headers()["content-type"], "text/x-diff");
    assert_eq!(raw.text().await.unwrap(), AWS_DIFF);
}

#[tokio::test]
async fn a_finished_scan_is_announced_counted_and_audited() {
    let app = TestApp::spawn().await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let failed = scanned(&app, &admin.token, AWS_DIFF).await;
    let passed = scanned(&app, &admin.token, CLEAN_DIFF).await;
    assert_eq!(passed["decision"], "pass");
    assert!(findings(&app, &admin.token, passed["id"].as_str().unwrap(), "").await.is_empty());

    let events: Value =
        app.get_as(&admin.token, "/v1/events?type=diffscan.completed").await.expect_json(200).await;
    let events = events["items"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    let failed_event = events.iter().find(|e| e["payload"]["scan_id"] == failed["id"]).unwrap();
    assert_eq!(failed_event["severity"], "high");
    assert_eq!(failed_event["payload"]["decision"], "fail");
    assert!(failed_event["title"].as_str().unwrap().contains("fail"));

    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains(
            "palisade_diffscan_scans_total{decision=\"fail\",source=\"api\",degraded=\"false\"} 1"
        ),
        "{metrics}"
    );
    assert!(metrics.contains("palisade_diffscan_scan_duration_seconds_count 2"), "{metrics}");
    assert!(metrics.contains("palisade_diffscan_queue_depth"), "{metrics}");

    let actions = app.audit_actions().await;
    assert_eq!(actions.iter().filter(|a| *a == "diffscan.scan.create").count(), 2);
    assert_eq!(actions.iter().filter(|a| *a == "diffscan.scan.complete").count(), 2);
    let listed: Value =
        app.get_as(&admin.token, "/v1/diffscans?decision=fail").await.expect_json(200).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let bad = app.get_as(&admin.token, "/v1/diffscans?decision=maybe").await.problem().await;
    assert_eq!(bad.code, "INVALID_QUERY");
}

#[tokio::test]
async fn a_scan_stays_queued_without_a_worker_and_has_no_result_until_it_runs() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let scan = scan_diff(&app, &admin.token, AWS_DIFF).await;
    let id = scan["id"].as_str().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let still: Value =
        app.get_as(&admin.token, &format!("/v1/diffscans/{id}")).await.json().await.unwrap();
    assert_eq!((still["status"].as_str(), still["decision"].as_str()), (Some("queued"), None));
    for view in ["artifact", "report.html", "report.sarif"] {
        let problem =
            app.get_as(&admin.token, &format!("/v1/diffscans/{id}/{view}")).await.problem().await;
        assert_eq!((problem.status, problem.code.as_str()), (409, "SCAN_NOT_COMPLETE"), "{view}");
    }
    let _jobs = app.start_jobs().await;
    assert_eq!(finished(&app, &admin.token, id).await["decision"], "fail");
}
