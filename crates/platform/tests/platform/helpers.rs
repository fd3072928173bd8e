//! Small factories shared by the platform tests.

use platform::{TenantId, UserId};
use sqlx::PgPool;

/// Inserts a tenant (a global row, no scope needed) and returns its id.
pub async fn tenant(pool: &PgPool, slug: &str) -> TenantId {
    let id = TenantId::generate();
    sqlx::query("insert into tenants (id, name, slug) values ($1, $2, $2)")
        .bind(id)
        .bind(slug)
        .execute(pool)
        .await
        .unwrap();
    id
}

pub async fn user(pool: &PgPool, email: &str) -> UserId {
    let id = UserId::generate();
    sqlx::query("insert into users (id, email) values ($1, $2)")
        .bind(id)
        .bind(email)
        .execute(pool)
        .await
        .unwrap();
    id
}

/// Adds `user` to `tenant` inside that tenant's scope.
pub async fn member(pool: &PgPool, tenant: TenantId, user: UserId) {
    let mut tx = platform::Db::new(pool.clone()).tenant_tx(tenant).await.unwrap();
    sqlx::query(
        "insert into memberships (tenant_id, user_id, role) values ($1, $2, 'SOC_ANALYST_L1')",
    )
    .bind(tenant)
    .bind(user)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}
