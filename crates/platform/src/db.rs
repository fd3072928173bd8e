//! The database handle and tenant-scoped transactions.
//!
//! Every query on tenant-owned data runs inside `tenant_tx`, which sets the transaction-local
//! `app.tenant_id` that the row-level security policies read. The pool connects as the
//! application role, which cannot bypass those policies.

use crate::TenantId;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};
use std::time::Duration;

/// A transaction whose row-level security scope is one tenant.
pub type TenantTx = Transaction<'static, Postgres>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("the database is unavailable")]
    Unavailable(#[source] sqlx::Error),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// The application's pool: cheap to clone, shared by every request.
#[derive(Clone, Debug)]
pub struct Db {
    pool: PgPool,
}

impl Db {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    /// A pool of `max_connections` application-role connections. Connects lazily, so a database
    /// that is briefly down does not stop the process from starting; `/readyz` reports it.
    pub fn connect_lazy(options: PgConnectOptions, max_connections: u32) -> Self {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .min_connections(0)
            .acquire_timeout(Duration::from_secs(5))
            .idle_timeout(Duration::from_secs(300))
            .connect_lazy_with(options);
        Self { pool }
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// A transaction scoped to `tenant`; see `tenant_tx`.
    pub async fn tenant_tx(&self, tenant: TenantId) -> Result<TenantTx, DbError> {
        tenant_tx(&self.pool, tenant).await
    }
}

/// Opens a transaction and sets `app.tenant_id` for it alone (`set_config(..., true)`), so the
/// setting can never leak to the next user of the pooled connection. Both happen in one round
/// trip: this runs before every tenant query, so it is on every request's path.
#[tracing::instrument(skip(pool), err)]
pub async fn tenant_tx(pool: &PgPool, tenant: TenantId) -> Result<TenantTx, DbError> {
    // A TenantId is a parsed UUID, so its text cannot carry SQL.
    let begin = format!("begin; select set_config('app.tenant_id', '{tenant}', true)");
    pool.begin_with(sqlx::AssertSqlSafe(begin)).await.map_err(|e| match e {
        sqlx::Error::Database(_) => {
            DbError::Unexpected(anyhow::Error::new(e).context("setting app.tenant_id"))
        }
        other => DbError::Unavailable(other),
    })
}

/// Moves an open transaction to another tenant's scope: for the few operations that must write
/// in two scopes atomically (creating a tenant writes a platform audit row and the tenant's own
/// rows). Everything written before stays committed-or-not with the rest.
pub async fn set_tenant(tx: &mut TenantTx, tenant: TenantId) -> Result<(), sqlx::Error> {
    sqlx::query("select set_config('app.tenant_id', $1, true)")
        .bind(tenant.to_string())
        .execute(&mut **tx)
        .await
        .map(|_| ())
}
