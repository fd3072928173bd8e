//! Raw diffs leave the object store on request or when retention expires; each leaves its
//! deletion marker (an object beside it, and the scan's `deleted_at` and reason), and the scan's
//! result, findings and signed artifact stay.

use super::{AWS_DIFF, CLEAN_DIFF, scanned};
use diffscan::model::ScanId;
use diffscan::objects::ObjectKey;
use serde_json::Value;
use testapp::{Member, ResponseExt, TestApp};

fn key_of(member: &Member, scan: &Value) -> ObjectKey {
    ObjectKey::diff(member.tenant, ScanId::parse(scan["id"].as_str().unwrap()).unwrap())
}

#[tokio::test]
async fn purging_a_diff_removes_it_from_the_object_store_and_leaves_a_deletion_marker() {
    let app = TestApp::spawn().await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let scan = scanned(&app, &admin.token, AWS_DIFF).await;
    let id = scan["id"].as_str().unwrap();
    let key = key_of(&admin, &scan);
    let store = app.services.diffscan.objects();
    assert_eq!(store.get(&key).await.unwrap().unwrap(), AWS_DIFF.as_bytes());

    let purged = app
        .send_as(
            reqwest::Method::DELETE,
            &admin.token,
            &format!("/v1/diffscans/{id}/diff"),
            &Value::Null,
        )
        .await;
    assert_eq!(purged.status(), 204);
    assert_eq!(store.get(&key).await.unwrap(), None, "the raw diff is gone");
    let marker: Value =
        serde_json::from_slice(&store.get(&key.deletion_marker()).await.unwrap().unwrap()).unwrap();
    assert_eq!(marker["reason"], "request");
    assert_eq!(marker["diff_sha256"], scan["diff"]["sha256"]);

    let problem =
        app.get_as(&admin.token, &format!("/v1/diffscans/{id}/diff")).await.problem().await;
    assert_eq!((problem.status, problem.code.as_str()), (410, "DIFF_PURGED"));
    let after: Value =
        app.get_as(&admin.token, &format!("/v1/diffscans/{id}")).await.expect_json(200).await;
    assert_eq!(after["diff"]["stored"], false);
    assert_eq!(after["diff"]["deletion_reason"], "request");
    assert!(after["diff"]["deleted_at"].is_string());
    assert_eq!(after["decision"], "fail", "the result stays");
    assert_eq!(
        app.get_as(&admin.token, &format!("/v1/diffscans/{id}/artifact")).await.status(),
        200
    );
    let again = app
        .send_as(
            reqwest::Method::DELETE,
            &admin.token,
            &format!("/v1/diffscans/{id}/diff"),
            &Value::Null,
        )
        .await;
    assert_eq!(again.status(), 204, "purging twice changes nothing");
    assert_eq!(app.audit_summaries("diffscan.scan.purge_diff").await.len(), 1);
}

#[tokio::test]
async fn retention_purges_expired_diffs_and_keeps_everything_else() {
    let app = TestApp::spawn().await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let old = scanned(&app, &admin.token, AWS_DIFF).await;
    let recent = scanned(&app, &admin.token, CLEAN_DIFF).await;
    sqlx::query(
        "update diffscan_scans set diff_expires_at = now() - interval '1 day' where id = $1::uuid",
    )
    .bind(old["id"].as_str().unwrap())
    .execute(&app.db.superuser().await)
    .await
    .unwrap();
    let purged = app.services.diffscan.purge_expired().await.unwrap();
    assert_eq!(purged.diffs, 1);
    let store = app.services.diffscan.objects();
    assert_eq!(store.get(&key_of(&admin, &old)).await.unwrap(), None);
    assert!(store.get(&key_of(&admin, &old).deletion_marker()).await.unwrap().is_some());
    assert!(store.get(&key_of(&admin, &recent)).await.unwrap().is_some());
    let after: Value = app
        .get_as(&admin.token, &format!("/v1/diffscans/{}", old["id"].as_str().unwrap()))
        .await
        .expect_json(200)
        .await;
    assert_eq!(after["diff"]["deletion_reason"], "retention");
    let findings: Value = app
        .get_as(&admin.token, &format!("/v1/diffscans/{}/findings", old["id"].as_str().unwrap()))
        .await
        .expect_json(200)
        .await;
    assert!(!findings["items"].as_array().unwrap().is_empty(), "findings stay");
    assert_eq!(app.services.diffscan.purge_expired().await.unwrap().diffs, 0, "nothing twice");
    assert_eq!(app.audit_summaries("diffscan.retention.purge").await.len(), 1);
}
