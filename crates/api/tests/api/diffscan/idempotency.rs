//! `Idempotency-Key`: the same key and the same request (whatever its key order or spacing)
//! answer the original scan, also when the requests race; the same key with another request is
//! 409 IDEMPOTENCY_CONFLICT and creates nothing; keys belong to one principal.

use super::{AWS_DIFF, CLEAN_DIFF};
use platform::access::Role;
use serde_json::{Value, json};
use testapp::{ResponseExt, TestApp};

async fn post_raw(app: &TestApp, token: &str, key: &str, body: &str) -> reqwest::Response {
    app.client
        .post(app.url("/v1/diffscans"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

async fn scan_count(app: &TestApp, token: &str) -> usize {
    let page: Value = app.get_as(token, "/v1/diffscans").await.expect_json(200).await;
    page["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn the_same_idempotency_key_and_request_answer_the_original_scan() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let body = json!({"diff": AWS_DIFF, "name": "pr-17"}).to_string();
    let reordered = format!("{{ \"name\" : \"pr-17\",\n  \"diff\": {} }}", json!(AWS_DIFF));
    let first = post_raw(&app, &admin.token, "ci-run-17", &body).await;
    assert_eq!(first.status(), 202);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();
    let again = post_raw(&app, &admin.token, "ci-run-17", &reordered).await;
    assert_eq!(again.status(), 202);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], first["id"]);
    assert_eq!(scan_count(&app, &admin.token).await, 1);
    assert_eq!(app.audit_summaries("diffscan.scan.create").await.len(), 1);
}

#[tokio::test]
async fn the_same_key_with_another_request_is_409_and_creates_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let first = post_raw(&app, &admin.token, "k-1", &json!({"diff": AWS_DIFF}).to_string()).await;
    assert_eq!(first.status(), 202);
    for other in [json!({"diff": CLEAN_DIFF}), json!({"diff": AWS_DIFF, "name": "renamed"})] {
        let problem = post_raw(&app, &admin.token, "k-1", &other.to_string()).await.problem().await;
        assert_eq!((problem.status, problem.code.as_str()), (409, "IDEMPOTENCY_CONFLICT"));
    }
    assert_eq!(scan_count(&app, &admin.token).await, 1);
    let fresh = post_raw(&app, &admin.token, "k-2", &json!({"diff": CLEAN_DIFF}).to_string()).await;
    assert_eq!(fresh.status(), 202);
}

#[tokio::test]
async fn racing_requests_with_one_key_all_answer_one_scan() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let body = json!({"diff": AWS_DIFF}).to_string();
    let requests = (0..6).map(|_| post_raw(&app, &admin.token, "race", &body));
    let answers = futures_util::future::join_all(requests).await;
    let mut ids = Vec::new();
    for answer in answers {
        assert_eq!(answer.status(), 202);
        let scan: Value = answer.json().await.unwrap();
        ids.push(scan["id"].as_str().unwrap().to_string());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(scan_count(&app, &admin.token).await, 1);
}

#[tokio::test]
async fn a_key_belongs_to_its_principal_and_must_be_visible_ascii() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let colleague = app.member(admin.tenant, "dev@acme.test", Role::DETECTION_ENGINEER).await;
    let mine =
        post_raw(&app, &admin.token, "shared-key", &json!({"diff": AWS_DIFF}).to_string()).await;
    let theirs =
        post_raw(&app, &colleague.token, "shared-key", &json!({"diff": CLEAN_DIFF}).to_string())
            .await;
    assert_eq!((mine.status().as_u16(), theirs.status().as_u16()), (202, 202));
    let (mine, theirs): (Value, Value) = (mine.json().await.unwrap(), theirs.json().await.unwrap());
    assert_ne!(mine["id"], theirs["id"]);
    for bad in ["two words", &"k".repeat(256)] {
        let problem = post_raw(&app, &admin.token, bad, &json!({"diff": AWS_DIFF}).to_string())
            .await
            .problem()
            .await;
        assert_eq!(problem.status, 422);
        assert_eq!(problem.errors[0].code, "INVALID_IDEMPOTENCY_KEY");
        assert_eq!(problem.errors[0].field, "Idempotency-Key");
    }
    assert_eq!(scan_count(&app, &admin.token).await, 2);
}
