//! The audit log: append-only for everyone, a chain keyed with a key the database does not hold,
//! and signed checkpoints, so that a superuser who gets around the triggers is still caught.

use crate::helpers::tenant;
use platform::audit::{self, Actor, AuditEntry, AuditKey, RequestContext, VerifyError};
use platform::{Db, TenantId, UserId};
use serde_json::json;
use testkit::{TestDb, test_db};

fn key() -> AuditKey {
    AuditKey::new(&[7u8; 32]).unwrap()
}

/// The application pool, chaining with the test key.
fn app(db: &TestDb) -> Db {
    db.app.clone().with_audit_key(key())
}

async fn write(db: &Db, tenant: TenantId, action: &str, summary: serde_json::Value) {
    let context = RequestContext { request_id: Some("req-1".into()), ..Default::default() };
    let mut tx = db.tenant_tx(tenant).await.unwrap();
    let entry = AuditEntry {
        actor: Actor::User(UserId::generate()),
        action,
        target_type: "thing",
        target_id: Some("t-1".into()),
        context: &context,
        summary,
    };
    audit::record(&mut tx, &entry).await.unwrap();
    tx.commit().await.unwrap();
}

async fn rows(db: &Db, tenant: TenantId) -> u64 {
    audit::verify(db.pool(), &key(), tenant).await.unwrap().rows
}

/// Runs `sql` as the cluster's superuser with every trigger off: someone who got around them.
async fn as_superuser_without_triggers(test: &TestDb, sql: &str) {
    let script = format!("set session_replication_role = replica; {sql}");
    sqlx::raw_sql(sqlx::AssertSqlSafe(script)).execute(&test.superuser().await).await.unwrap();
}

#[tokio::test]
async fn a_clean_chain_verifies_and_counts_its_rows() {
    let test = test_db().await;
    let db = app(&test);
    let a = tenant(db.pool(), "acme").await;
    for i in 0..5 {
        write(&db, a, "thing.update", json!({"step": i, "note": "ünïcode ✓"})).await;
    }
    write(&db, TenantId::PLATFORM, "tenant.create", json!({})).await;
    assert_eq!(rows(&db, a).await, 5);
    assert_eq!(rows(&db, TenantId::PLATFORM).await, 1);
}

#[tokio::test]
async fn concurrent_writers_of_one_tenant_keep_a_single_chain() {
    let test = test_db().await;
    let db = app(&test);
    let a = tenant(db.pool(), "acme").await;
    let writers: Vec<_> = (0..16)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move { write(&db, a, "thing.update", json!({"i": i})).await })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    assert_eq!(rows(&db, a).await, 16);
}

#[tokio::test]
async fn a_database_handle_without_the_audit_key_writes_nothing() {
    let test = test_db().await;
    let a = tenant(test.app.pool(), "acme").await;
    let mut tx = test.app.tenant_tx(a).await.unwrap();
    let context = RequestContext::default();
    let entry = AuditEntry {
        actor: Actor::System,
        action: "thing.update",
        target_type: "thing",
        target_id: None,
        context: &context,
        summary: json!({}),
    };
    assert!(audit::record(&mut tx, &entry).await.is_err());
}

#[tokio::test]
async fn secrets_in_a_summary_are_redacted_before_they_are_stored() {
    let test = test_db().await;
    let db = app(&test);
    let a = tenant(db.pool(), "acme").await;
    write(&db, a, "user.create", json!({"email": "x@acme.test", "password": "pa55word-pa55word"}))
        .await;
    let mut tx = db.tenant_tx(a).await.unwrap();
    let stored: String = sqlx::query_scalar("select summary::text from audit_log")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert!(!stored.contains("pa55word"), "{stored}");
    assert!(stored.contains("x@acme.test"));
}

#[tokio::test]
async fn the_application_role_can_only_append_through_the_database_function() {
    let test = test_db().await;
    let db = app(&test);
    let a = tenant(db.pool(), "acme").await;
    write(&db, a, "thing.update", json!({})).await;
    let forged = "insert into audit_log (tenant_id, seq, prev_hash, hash, actor_type, action,
                  target_type, occurred_at) values (current_setting('app.tenant_id')::uuid, 9, '',
                  '', 'system', 'x.y', 'x', '2001-01-01')";
    for sql in [
        "update audit_log set action = 'nothing.happened'",
        "delete from audit_log",
        forged,
        "select audit_seal(1, '\\x00')",
    ] {
        let mut tx = db.tenant_tx(a).await.unwrap();
        let err = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await.unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("permission denied") || text.contains("no unsealed row"),
            "{sql}: {err}"
        );
    }
    assert_eq!(rows(&db, a).await, 1);
}

#[tokio::test]
async fn the_database_sets_the_time_and_place_of_every_row() {
    let test = test_db().await;
    let db = app(&test);
    let a = tenant(db.pool(), "acme").await;
    let before = chrono::Utc::now();
    write(&db, a, "thing.update", json!({})).await;
    let mut tx = db.tenant_tx(a).await.unwrap();
    let (seq, at): (i64, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as("select seq, occurred_at from audit_log").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(seq, 1);
    assert!(at >= before - chrono::Duration::seconds(5), "{at}");
}

#[tokio::test]
async fn even_the_owner_is_stopped_by_the_append_only_trigger() {
    let test = test_db().await;
    let db = app(&test);
    let a = tenant(db.pool(), "acme").await;
    write(&db, a, "thing.update", json!({})).await;
    let owner = test.owner().await;
    let mut tx = Db::new(owner.clone()).tenant_tx(a).await.unwrap();
    let err = sqlx::query("delete from audit_log").execute(&mut *tx).await.unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

#[tokio::test]
async fn verify_names_the_row_a_superuser_tampered_with() {
    let test = test_db().await;
    let db = app(&test);
    let a = tenant(db.pool(), "acme").await;
    for i in 0..4 {
        write(&db, a, "thing.update", json!({"i": i})).await;
    }
    as_superuser_without_triggers(
        &test,
        &format!(
            "update audit_log set summary = '{{\"i\": 99}}' where tenant_id = '{a}' and seq = 3"
        ),
    )
    .await;
    match audit::verify(db.pool(), &key(), a).await {
        Err(VerifyError::Broken(broken)) => {
            assert_eq!(broken.seq, 3);
            assert_eq!(broken.reason, "its content does not match its hash");
        }
        other => panic!("expected a broken chain, got {other:?}"),
    }
}

#[tokio::test]
async fn a_superuser_who_rebuilds_every_hash_with_plain_sha256_is_caught() {
    let test = test_db().await;
    let db = app(&test);
    let a = tenant(db.pool(), "acme").await;
    for i in 0..4 {
        write(&db, a, "thing.update", json!({"i": i})).await;
    }
    audit::checkpoint(db.pool(), &key(), a).await.unwrap().expect("a checkpoint");
    // Change a row, then rebuild the whole chain consistently, as the unkeyed design allowed.
    let rebuild = format!(
        "update audit_log set summary = '{{\"i\": 99}}' where tenant_id = '{a}' and seq = 2;
         do $$ declare r audit_log; prev bytea := '\\x{zero}'; begin
           for r in select * from audit_log where tenant_id = '{a}' order by seq loop
             update audit_log set prev_hash = prev, link = 'sha256',
                    hash = sha256(prev || convert_to(audit_log_canonical(r), 'UTF8'))
              where tenant_id = r.tenant_id and seq = r.seq;
             select hash into prev from audit_log where tenant_id = r.tenant_id and seq = r.seq;
           end loop; end $$;",
        zero = "00".repeat(32)
    );
    as_superuser_without_triggers(&test, &rebuild).await;
    let err = audit::verify(db.pool(), &key(), a).await.unwrap_err();
    assert!(matches!(err, VerifyError::Broken(_)), "{err}");
    // The same rebuild with the keyed link kind fails on the first row's MAC.
    as_superuser_without_triggers(
        &test,
        &format!("update audit_log set link = 'hmac' where tenant_id = '{a}'"),
    )
    .await;
    let err = audit::verify(db.pool(), &key(), a).await.unwrap_err();
    assert!(matches!(err, VerifyError::Broken(ref b) if b.seq == 1), "{err}");
}

#[tokio::test]
async fn rows_cut_off_the_end_behind_a_checkpoint_are_missed() {
    let test = test_db().await;
    let db = app(&test);
    let a = tenant(db.pool(), "acme").await;
    for i in 0..5 {
        write(&db, a, "thing.update", json!({"i": i})).await;
    }
    let signed = audit::checkpoint(db.pool(), &key(), a).await.unwrap().unwrap();
    assert_eq!(signed.seq, 5);
    assert_eq!(audit::verify(db.pool(), &key(), a).await.unwrap().checkpoints, 1);
    as_superuser_without_triggers(
        &test,
        &format!("delete from audit_log where tenant_id = '{a}' and seq > 3"),
    )
    .await;
    let err = audit::verify(db.pool(), &key(), a).await.unwrap_err();
    assert!(matches!(err, VerifyError::Broken(ref b) if b.seq == 3), "{err}");
    // Nor will a new checkpoint sign the shortened chain.
    assert!(audit::checkpoint(db.pool(), &key(), a).await.is_err());
}

#[tokio::test]
async fn a_deleted_checkpoint_breaks_the_chain_of_checkpoints() {
    let test = test_db().await;
    let db = app(&test);
    let a = tenant(db.pool(), "acme").await;
    for round in 0..3 {
        write(&db, a, "thing.update", json!({"round": round})).await;
        audit::checkpoint(db.pool(), &key(), a).await.unwrap().unwrap();
    }
    as_superuser_without_triggers(
        &test,
        &format!("delete from audit_checkpoints where tenant_id = '{a}' and seq = 2"),
    )
    .await;
    let err = audit::verify(db.pool(), &key(), a).await.unwrap_err();
    assert!(matches!(err, VerifyError::Broken(ref b) if b.seq == 3), "{err}");
}

#[tokio::test]
async fn verify_notices_a_deleted_row() {
    let test = test_db().await;
    let db = app(&test);
    let a = tenant(db.pool(), "acme").await;
    for i in 0..3 {
        write(&db, a, "thing.update", json!({"i": i})).await;
    }
    as_superuser_without_triggers(
        &test,
        &format!("delete from audit_log where tenant_id = '{a}' and seq = 2"),
    )
    .await;
    let err = audit::verify(db.pool(), &key(), a).await.unwrap_err();
    assert!(matches!(err, VerifyError::Broken(ref b) if b.seq == 3), "{err}");
}

#[tokio::test]
async fn another_key_verifies_nothing() {
    let test = test_db().await;
    let db = app(&test);
    let a = tenant(db.pool(), "acme").await;
    write(&db, a, "thing.update", json!({})).await;
    let other = AuditKey::new(&[8u8; 32]).unwrap();
    assert!(audit::verify(db.pool(), &other, a).await.is_err());
}
