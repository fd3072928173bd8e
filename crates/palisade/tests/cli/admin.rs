//! `palisade migrate` and `palisade admin audit-verify` against an external database (a test
//! database reached by URL, as an operator's would be).

use crate::process::run;
use platform::TenantId;
use platform::audit::{self, Actor, AuditEntry, RequestContext};
use testapp::test_db;

#[tokio::test]
async fn migrate_on_an_external_database_needs_the_owner_url_and_then_succeeds() {
    let db = test_db().await;
    let app_url = db.url("palisade_app").await;
    let refused = run(&["migrate"], &[("DATABASE_URL", &app_url)]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("PALISADE_DATABASE_OWNER_URL"));

    let owner_url = db.url("palisade_owner").await;
    let applied = run(
        &["migrate"],
        &[("DATABASE_URL", &app_url), ("PALISADE_DATABASE_OWNER_URL", &owner_url)],
    );
    assert!(applied.status.success(), "{}", String::from_utf8_lossy(&applied.stderr));
    assert!(String::from_utf8_lossy(&applied.stdout).contains("migrations applied"));
}

#[tokio::test]
async fn audit_verify_passes_on_a_clean_chain_and_names_the_tampered_row() {
    let db = test_db().await;
    let pool = db.app.pool();
    let tenant = TenantId::generate();
    sqlx::query("insert into tenants (id, name, slug) values ($1, 'Acme', 'acme')")
        .bind(tenant)
        .execute(pool)
        .await
        .unwrap();
    for i in 0..3 {
        let mut tx = platform::Db::new(pool.clone()).tenant_tx(tenant).await.unwrap();
        let context = RequestContext::default();
        let entry = AuditEntry {
            actor: Actor::System,
            action: "thing.update",
            target_type: "thing",
            target_id: None,
            context: &context,
            summary: serde_json::json!({ "i": i }),
        };
        audit::record(&mut tx, &entry).await.unwrap();
        tx.commit().await.unwrap();
    }
    let url = db.url("palisade_app").await;
    let clean = run(&["admin", "audit-verify"], &[("DATABASE_URL", &url)]);
    assert!(clean.status.success(), "{}", String::from_utf8_lossy(&clean.stderr));
    assert!(String::from_utf8_lossy(&clean.stdout).contains("ok (3 rows verified)"));

    let superuser = db.superuser().await;
    let tampered: uuid::Uuid = sqlx::query_scalar("select id from audit_log where seq = 2")
        .fetch_one(&superuser)
        .await
        .unwrap();
    sqlx::raw_sql("set session_replication_role = replica; update audit_log set action = 'nothing.happened' where seq = 2;")
        .execute(&superuser)
        .await
        .unwrap();
    let tenant_arg = tenant.to_string();
    let broken =
        run(&["admin", "audit-verify", "--tenant", &tenant_arg], &[("DATABASE_URL", &url)]);
    assert_eq!(broken.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert!(stdout.contains(&format!("broken at seq 2 (row {tampered})")), "{stdout}");
}
