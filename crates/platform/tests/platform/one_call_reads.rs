//! One-call reads (`TenantRead` and the reading functions): the scope they set holds for their
//! own statement only, shows exactly the named tenant's rows, and cannot move a transaction that
//! is already another tenant's.

use crate::helpers::tenant;
use platform::outbox::{self, Event, Severity};
use platform::{Db, EventId, TenantId};
use serde_json::json;
use testkit::test_db;

async fn announce(db: &Db, tenant: TenantId, subject: &str) -> EventId {
    let mut tx = db.tenant_tx(tenant).await.unwrap();
    let event = Event { kind: "test.read", severity: Severity::Low, subject, payload: json!({}) };
    let emitted = outbox::emit(&mut tx, &event).await.unwrap();
    tx.commit().await.unwrap();
    emitted.event_id
}

/// What `feed_events` returns for `ids` through a one-call read of `tenant`.
async fn feed_titles(db: &Db, tenant: TenantId, ids: &[EventId]) -> Vec<String> {
    let mut read = db.tenant_read(tenant).await.unwrap();
    let rows: Vec<(String,)> = read
        .call("select summary from feed_events($1, $2)")
        .bind(ids)
        .fetch_all(&mut *read)
        .await
        .unwrap();
    rows.into_iter().map(|(title,)| title).collect()
}

#[tokio::test]
async fn a_one_call_read_returns_only_the_named_tenants_rows() {
    let test = test_db().await;
    let db = test.app.clone();
    let (a, b) = (tenant(db.pool(), "acme").await, tenant(db.pool(), "globex").await);
    let ours = announce(&db, a, "ours").await;
    let theirs = announce(&db, b, "theirs").await;

    assert_eq!(feed_titles(&db, a, &[ours, theirs]).await, vec!["ours".to_string()]);
    assert_eq!(feed_titles(&db, b, &[ours, theirs]).await, vec!["theirs".to_string()]);
}

#[tokio::test]
async fn the_scope_of_a_one_call_read_ends_with_its_statement() {
    let test = test_db().await;
    let db = test.app.clone();
    let a = tenant(db.pool(), "acme").await;
    let id = announce(&db, a, "ours").await;

    let mut read = db.tenant_read(a).await.unwrap();
    let _: Vec<(String,)> = read
        .call("select summary from feed_events($1, $2)")
        .bind([id])
        .fetch_all(&mut *read)
        .await
        .unwrap();
    // The same session, next statement: no scope left, so row-level security shows nothing.
    let (scope, visible): (String, i64) = sqlx::query_as(
        "select coalesce(current_setting('app.tenant_id', true), ''), \
                (select count(*) from events)",
    )
    .fetch_one(&mut *read)
    .await
    .unwrap();
    assert_eq!((scope.as_str(), visible), ("", 0));
}

#[tokio::test]
async fn a_statement_on_a_tenant_read_that_calls_no_reading_function_sees_nothing() {
    let test = test_db().await;
    let db = test.app.clone();
    let a = tenant(db.pool(), "acme").await;
    announce(&db, a, "ours").await;

    let mut read = db.tenant_read(a).await.unwrap();
    let visible: i64 =
        sqlx::query_scalar("select count(*) from events").fetch_one(&mut *read).await.unwrap();
    assert_eq!(visible, 0);
}

#[tokio::test]
async fn a_reading_function_cannot_move_another_tenants_transaction() {
    let test = test_db().await;
    let db = test.app.clone();
    let (a, b) = (tenant(db.pool(), "acme").await, tenant(db.pool(), "globex").await);
    let theirs = announce(&db, b, "theirs").await;

    let mut tx = db.tenant_tx(a).await.unwrap();
    let refused = sqlx::query("select * from feed_events($1, $2)")
        .bind(b)
        .bind([theirs])
        .fetch_all(&mut *tx)
        .await
        .unwrap_err();
    let code = refused.as_database_error().and_then(|e| e.code()).map(|c| c.into_owned());
    assert_eq!(code.as_deref(), Some("42501"), "{refused}");
}

#[tokio::test]
async fn the_audit_page_function_reads_one_chain_newest_first_from_the_cursor() {
    let test = test_db().await;
    let db = test.app.clone().with_audit_key(platform::audit::AuditKey::new(&[7; 32]).unwrap());
    let (a, b) = (tenant(db.pool(), "acme").await, tenant(db.pool(), "globex").await);
    for (tenant, action) in [(a, "thing.create"), (a, "thing.update"), (b, "thing.create")] {
        let mut tx = db.tenant_tx(tenant).await.unwrap();
        let context = platform::audit::RequestContext::default();
        let entry = platform::audit::AuditEntry {
            actor: platform::audit::Actor::System,
            action,
            target_type: "thing",
            target_id: None,
            context: &context,
            summary: json!({}),
        };
        platform::audit::record(&mut tx, &entry).await.unwrap();
        tx.commit().await.unwrap();
    }

    let page = |before: Option<i64>, prefix: Option<&'static str>| {
        let db = db.clone();
        async move {
            let mut read = db.tenant_read(a).await.unwrap();
            let rows: Vec<(i64, String)> = read
                .call(
                    "select seq, action from audit_log_page($1, $2, null, null, $3, null, null, \
                     null, null, 10)",
                )
                .bind(before)
                .bind(prefix)
                .fetch_all(&mut *read)
                .await
                .unwrap();
            rows
        }
    };
    let both = vec![(2, "thing.update".to_string()), (1, "thing.create".to_string())];
    assert_eq!(page(None, None).await, both);
    assert_eq!(page(Some(2), None).await, both[1..].to_vec());
    assert_eq!(page(None, Some("thing.u")).await, both[..1].to_vec());
}

#[tokio::test]
async fn the_planner_settings_of_the_audit_page_stay_inside_the_call() {
    let test = test_db().await;
    let db = test.app.clone();
    let a = tenant(db.pool(), "acme").await;

    let mut read = db.tenant_read(a).await.unwrap();
    let _: Vec<(i64,)> = read
        .call(
            "select seq from audit_log_page($1, null, null, null, null, null, null, null, null, 5)",
        )
        .fetch_all(&mut *read)
        .await
        .unwrap();
    // The same session afterwards: the planner is as it was for every other statement.
    let settings: (String, String, String, String) = sqlx::query_as(
        "select current_setting('enable_seqscan'), current_setting('enable_bitmapscan'), \
                current_setting('enable_sort'), current_setting('plan_cache_mode')",
    )
    .fetch_one(&mut *read)
    .await
    .unwrap();
    let expected = ("on".to_string(), "on".to_string(), "on".to_string(), "auto".to_string());
    assert_eq!(settings, expected);
    drop(read);

    // Inside a transaction of the same tenant, which outlives the call: a setting the function
    // changed transaction-locally would still hold here; its `set` clauses restore them.
    let mut tx = db.tenant_tx(a).await.unwrap();
    let _: Vec<(i64,)> = sqlx::query_as(
        "select seq from audit_log_page($1, null, null, null, null, null, null, null, null, 5)",
    )
    .bind(a)
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    let in_tx: (String, String, String, String) = sqlx::query_as(
        "select current_setting('enable_seqscan'), current_setting('enable_bitmapscan'), \
                current_setting('enable_sort'), current_setting('plan_cache_mode')",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    assert_eq!(in_tx, expected);
}
