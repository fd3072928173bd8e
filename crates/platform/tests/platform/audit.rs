//! The audit log: append-only for everyone, and a hash chain that exposes any change made by
//! someone who got around that.

use crate::helpers::tenant;
use platform::audit::{self, Actor, AuditEntry, RequestContext, VerifyError};
use platform::{TenantId, UserId};
use serde_json::json;
use sqlx::PgPool;
use testkit::test_db;

async fn write(pool: &PgPool, tenant: TenantId, action: &str, summary: serde_json::Value) {
    let context = RequestContext { request_id: Some("req-1".into()), ..Default::default() };
    let mut tx = platform::Db::new(pool.clone()).tenant_tx(tenant).await.unwrap();
    audit::record(
        &mut tx,
        &AuditEntry {
            actor: Actor::User(UserId::generate()),
            action,
            target_type: "thing",
            target_id: Some("t-1".into()),
            context: &context,
            summary,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_clean_chain_verifies_and_counts_its_rows() {
    let db = test_db().await;
    let pool = db.app.pool();
    let a = tenant(pool, "acme").await;
    for i in 0..5 {
        write(pool, a, "thing.update", json!({"step": i, "note": "ünïcode ✓"})).await;
    }
    write(pool, TenantId::PLATFORM, "tenant.create", json!({})).await;
    assert_eq!(audit::verify(pool, a).await.unwrap(), 5);
    assert_eq!(audit::verify(pool, TenantId::PLATFORM).await.unwrap(), 1);
}

#[tokio::test]
async fn concurrent_writers_of_one_tenant_keep_a_single_chain() {
    let db = test_db().await;
    let pool = db.app.pool().clone();
    let a = tenant(&pool, "acme").await;
    let writers: Vec<_> = (0..16)
        .map(|i| {
            let pool = pool.clone();
            tokio::spawn(async move { write(&pool, a, "thing.update", json!({"i": i})).await })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    assert_eq!(audit::verify(&pool, a).await.unwrap(), 16);
}

#[tokio::test]
async fn secrets_in_a_summary_are_redacted_before_they_are_stored() {
    let db = test_db().await;
    let pool = db.app.pool();
    let a = tenant(pool, "acme").await;
    write(pool, a, "user.create", json!({"email": "x@acme.test", "password": "pa55word-pa55word"}))
        .await;
    let mut tx = platform::Db::new(pool.clone()).tenant_tx(a).await.unwrap();
    let stored: String = sqlx::query_scalar("select summary::text from audit_log")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert!(!stored.contains("pa55word"), "{stored}");
    assert!(stored.contains("x@acme.test"));
}

#[tokio::test]
async fn the_application_role_cannot_update_or_delete_audit_rows() {
    let db = test_db().await;
    let pool = db.app.pool();
    let a = tenant(pool, "acme").await;
    write(pool, a, "thing.update", json!({})).await;
    for sql in ["update audit_log set action = 'nothing.happened'", "delete from audit_log"] {
        let mut tx = platform::Db::new(pool.clone()).tenant_tx(a).await.unwrap();
        let err = sqlx::query(sql).execute(&mut *tx).await.unwrap_err();
        assert!(err.to_string().contains("permission denied"), "{sql}: {err}");
    }
    assert_eq!(audit::verify(pool, a).await.unwrap(), 1);
}

#[tokio::test]
async fn even_the_owner_is_stopped_by_the_append_only_trigger() {
    let db = test_db().await;
    let a = tenant(db.app.pool(), "acme").await;
    write(db.app.pool(), a, "thing.update", json!({})).await;
    let owner = db.owner().await;
    let mut tx = platform::Db::new(owner.clone()).tenant_tx(a).await.unwrap();
    let err = sqlx::query("delete from audit_log").execute(&mut *tx).await.unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

#[tokio::test]
async fn verify_names_the_row_a_superuser_tampered_with() {
    let db = test_db().await;
    let pool = db.app.pool();
    let a = tenant(pool, "acme").await;
    for i in 0..4 {
        write(pool, a, "thing.update", json!({"i": i})).await;
    }
    let superuser = db.superuser().await;
    let tampered: uuid::Uuid =
        sqlx::query_scalar("select id from audit_log where tenant_id = $1 and seq = 3")
            .bind(a)
            .fetch_one(&superuser)
            .await
            .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "set session_replication_role = replica;
         update audit_log set summary = '{{\"i\": 99}}' where id = '{tampered}';"
    )))
    .execute(&superuser)
    .await
    .unwrap();

    match audit::verify(pool, a).await {
        Err(VerifyError::Broken(broken)) => {
            assert_eq!((broken.seq, broken.id), (3, tampered));
            assert_eq!(broken.reason, "its content does not match its hash");
        }
        other => panic!("expected a broken chain, got {other:?}"),
    }
}

#[tokio::test]
async fn verify_notices_a_deleted_row() {
    let db = test_db().await;
    let pool = db.app.pool();
    let a = tenant(pool, "acme").await;
    for i in 0..3 {
        write(pool, a, "thing.update", json!({"i": i})).await;
    }
    let superuser = db.superuser().await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "set session_replication_role = replica; delete from audit_log where tenant_id = '{a}' and seq = 2;"
    )))
    .execute(&superuser)
    .await
    .unwrap();
    let err = audit::verify(pool, a).await.unwrap_err();
    assert!(matches!(err, VerifyError::Broken(ref b) if b.seq == 3), "{err}");
}
