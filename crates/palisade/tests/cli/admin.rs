//! `palisade migrate` and `palisade admin audit-verify` against an external database (a test
//! database reached by URL, as an operator's would be).

use crate::process::run;
use platform::TenantId;
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

fn base64_key(byte: u8) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode([byte; 32])
}

#[tokio::test]
async fn audit_verify_passes_on_a_clean_chain_and_names_the_tampered_row() {
    let db = test_db().await;
    let url = db.url("palisade_app").await;
    let master = base64_key(1);
    let env = [("DATABASE_URL", url.as_str()), ("PALISADE_ENCRYPTION_MASTER_KEY", master.as_str())];
    for slug in ["acme", "globex", "initech"] {
        let created = run(&["admin", "create-tenant", "--name", slug, "--slug", slug], &env);
        assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    }
    let clean = run(&["admin", "audit-verify"], &env);
    assert!(clean.status.success(), "{}", String::from_utf8_lossy(&clean.stderr));
    let stdout = String::from_utf8_lossy(&clean.stdout);
    assert!(stdout.contains("audit-verify: ok (3 rows in 4 chains"), "{stdout}");
    assert!(stdout.contains("checkpoint"), "a verified chain gets a signed checkpoint: {stdout}");

    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "set session_replication_role = replica;
         update audit_log set action = 'nothing.happened' where tenant_id = '{}' and seq = 2;",
        TenantId::PLATFORM
    )))
    .execute(&db.superuser().await)
    .await
    .unwrap();
    let platform = TenantId::PLATFORM.to_string();
    let broken = run(&["admin", "audit-verify", "--tenant", &platform], &env);
    assert_eq!(broken.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert!(stdout.contains("broken at seq 2: its content does not match its hash"), "{stdout}");

    // Without the master key the stored keys do not open: nothing is verified at all.
    let other = base64_key(2);
    let wrong =
        [("DATABASE_URL", url.as_str()), ("PALISADE_ENCRYPTION_MASTER_KEY", other.as_str())];
    let refused = run(&["admin", "audit-verify"], &wrong);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("not configured"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

#[tokio::test]
async fn rotate_keys_replaces_the_key_file_and_the_old_key_opens_nothing_afterwards() {
    let db = test_db().await;
    let url = db.url("palisade_app").await;
    let data_dir = crate::process::temp_data_dir();
    let dir = data_dir.to_string_lossy().to_string();
    let env = [("DATABASE_URL", url.as_str()), ("PALISADE_DATA_DIR", dir.as_str())];
    let created = run(&["admin", "create-tenant", "--name", "Acme", "--slug", "acme"], &env);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let key_file = data_dir.join("master.key");
    let old = std::fs::read_to_string(&key_file).unwrap();

    let rotated = run(&["admin", "rotate-keys"], &env);
    let stdout = String::from_utf8_lossy(&rotated.stdout);
    assert!(rotated.status.success(), "{stdout}{}", String::from_utf8_lossy(&rotated.stderr));
    assert!(stdout.contains("rotate-keys: ok"), "{stdout}");
    let new = std::fs::read_to_string(&key_file).unwrap();
    assert_ne!(old, new);
    assert!(!data_dir.join("master.key.next").exists());

    let verified = run(&["admin", "audit-verify"], &env);
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stdout));
    // The old key alone opens nothing any more.
    let old_only = [("DATABASE_URL", url.as_str()), ("PALISADE_ENCRYPTION_MASTER_KEY", old.trim())];
    assert!(!run(&["admin", "audit-verify"], &old_only).status.success());
}
