//! Row-level security: the second wall between tenants, which holds even when a query forgets
//! its tenant filter.

use crate::helpers::{member, tenant, user};
use testkit::test_db;

#[tokio::test]
async fn a_query_without_a_tenant_filter_sees_only_its_own_tenants_rows() {
    let db = test_db().await;
    let pool = db.app.pool();
    let (a, b) = (tenant(pool, "acme").await, tenant(pool, "globex").await);
    let (alice, bob) = (user(pool, "alice@acme.test").await, user(pool, "bob@globex.test").await);
    member(pool, a, alice).await;
    member(pool, b, bob).await;

    let mut tx = platform::Db::new(pool.clone()).tenant_tx(a).await.unwrap();
    let seen: Vec<uuid::Uuid> =
        sqlx::query_scalar("select user_id from memberships").fetch_all(&mut *tx).await.unwrap();
    assert_eq!(seen, vec![alice.as_uuid()]);
}

#[tokio::test]
async fn writing_a_row_for_another_tenant_is_refused() {
    let db = test_db().await;
    let pool = db.app.pool();
    let (a, b) = (tenant(pool, "acme").await, tenant(pool, "globex").await);
    let bob = user(pool, "bob@globex.test").await;

    let mut tx = platform::Db::new(pool.clone()).tenant_tx(a).await.unwrap();
    let err =
        sqlx::query("insert into memberships (tenant_id, user_id, role) values ($1, $2, 'X')")
            .bind(b)
            .bind(bob)
            .execute(&mut *tx)
            .await
            .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
}

#[tokio::test]
async fn updating_or_deleting_another_tenants_rows_touches_nothing() {
    let db = test_db().await;
    let pool = db.app.pool();
    let (a, b) = (tenant(pool, "acme").await, tenant(pool, "globex").await);
    let bob = user(pool, "bob@globex.test").await;
    member(pool, b, bob).await;

    let mut tx = platform::Db::new(pool.clone()).tenant_tx(a).await.unwrap();
    let updated = sqlx::query("update memberships set role = 'TENANT_ADMIN'")
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    let deleted =
        sqlx::query("delete from memberships").execute(&mut *tx).await.unwrap().rows_affected();
    tx.commit().await.unwrap();
    assert_eq!((updated, deleted), (0, 0));

    let mut tx = platform::Db::new(pool.clone()).tenant_tx(b).await.unwrap();
    let role: String =
        sqlx::query_scalar("select role from memberships").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(role, "SOC_ANALYST_L1");
}

#[tokio::test]
async fn a_transaction_without_a_tenant_sees_zero_rows() {
    let db = test_db().await;
    let pool = db.app.pool();
    let a = tenant(pool, "acme").await;
    member(pool, a, user(pool, "alice@acme.test").await).await;

    let mut tx = pool.begin().await.unwrap();
    let count: i64 =
        sqlx::query_scalar("select count(*) from memberships").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(count, 0);
    let count: i64 =
        sqlx::query_scalar("select count(*) from audit_log").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn the_tenant_setting_ends_with_its_transaction() {
    let db = test_db().await;
    let pool = db.app.pool();
    let a = tenant(pool, "acme").await;
    member(pool, a, user(pool, "alice@acme.test").await).await;

    let tx = platform::Db::new(pool.clone()).tenant_tx(a).await.unwrap();
    tx.commit().await.unwrap();
    // The pool has one idle connection, so the next statement reuses the same session.
    let count: i64 =
        sqlx::query_scalar("select count(*) from memberships").fetch_one(pool).await.unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn every_table_with_a_tenant_id_has_forced_rls_a_tenant_policy_and_a_tenant_first_key() {
    let db = test_db().await;
    let owner = db.owner().await;
    let tables: Vec<(String, bool, bool, i64, Option<String>)> = sqlx::query_as(
        "select c.relname::text, c.relrowsecurity, c.relforcerowsecurity,
                (select count(*) from pg_policy p where p.polrelid = c.oid
                  and pg_get_expr(p.polqual, p.polrelid) like '%tenant_id = %app.tenant_id%'
                  and pg_get_expr(p.polwithcheck, p.polrelid) like '%tenant_id = %app.tenant_id%'),
                (select a.attname::text from pg_index i
                   join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
                  where i.indrelid = c.oid and i.indisprimary)
           from pg_class c
          where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
            and exists (select from pg_attribute a where a.attrelid = c.oid
                         and a.attname = 'tenant_id' and not a.attisdropped)",
    )
    .fetch_all(&owner)
    .await
    .unwrap();
    assert!(tables.len() >= 2, "expected tenant-owned tables, found {tables:?}");
    for (table, enabled, forced, policies, first_key) in tables {
        assert!(enabled && forced, "{table}: row-level security must be enabled and forced");
        assert!(
            policies >= 1,
            "{table}: needs a tenant_id = app.tenant_id policy for using and with check"
        );
        assert_eq!(
            first_key.as_deref(),
            Some("tenant_id"),
            "{table}: primary key must start with tenant_id"
        );
    }
}

#[tokio::test]
async fn the_application_role_owns_nothing_and_cannot_bypass_rls() {
    let db = test_db().await;
    let owner = db.owner().await;
    let problems = platform::migrate::app_role_problems(&owner).await.unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let (bypass, superuser): (bool, bool) =
        sqlx::query_as("select rolbypassrls, rolsuper from pg_roles where rolname = current_user")
            .fetch_one(db.app.pool())
            .await
            .unwrap();
    assert!(!bypass && !superuser);
}

#[tokio::test]
async fn a_fresh_database_has_no_pending_migrations() {
    let db = test_db().await;
    assert!(platform::migrate::pending(db.app.pool()).await.unwrap().is_empty());
}
