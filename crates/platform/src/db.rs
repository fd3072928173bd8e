//! The database handle and tenant-scoped transactions.
//!
//! Every query on tenant-owned data runs inside a [`TenantTx`]: a transaction that set the
//! transaction-local `app.tenant_id` the row-level security policies read, and that carries the
//! tenant it was opened for. Store functions take `&mut TenantTx` and read the tenant from it, so
//! a store function cannot be handed the transaction of one tenant and the id of another. A hot
//! read may instead take a [`TenantRead`]: one call of a reading function that scopes its own
//! statement, in one round trip. The pool connects as the application role, which cannot
//! bypass those policies.

use crate::TenantId;
use crate::audit::AuditKey;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::query::QueryAs;
use sqlx::{PgConnection, Postgres, Transaction};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("the database is unavailable")]
    Unavailable(#[source] sqlx::Error),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl DbError {
    /// Sorts a failure to reach the database (pool timeout, I/O, closed pool) from one that the
    /// database answered.
    pub fn classify(error: sqlx::Error) -> DbError {
        match error {
            sqlx::Error::Database(_) => {
                DbError::Unexpected(anyhow::Error::new(error).context("setting app.tenant_id"))
            }
            other => DbError::Unavailable(other),
        }
    }
}

/// A connection idle longer than this is checked before use.
const CHECK_IDLE_AFTER: Duration = Duration::from_secs(10);

/// A planner setting a query needs for its plan, set transaction-locally. Given when the
/// transaction is opened, it rides along with the scope (no round trip of its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlannerHint {
    /// `plan_cache_mode = force_custom_plan`: for statements over tables that fill and drain in
    /// bursts (the relay's queue and deliveries). A connection caches a generic plan after five
    /// executions and keeps it until the table's statistics change; one cached while the table
    /// was nearly empty scans a whole tenant's rows by any index on `tenant_id` where a
    /// primary-key lookup of a few ids was meant.
    CustomPlans,
}

impl PlannerHint {
    fn setting(self) -> (&'static str, &'static str) {
        match self {
            PlannerHint::CustomPlans => ("plan_cache_mode", "force_custom_plan"),
        }
    }
}

/// The application's pool, and the key its audit rows are chained with: cheap to clone, shared
/// by every request.
#[derive(Clone, Debug)]
pub struct Db {
    pool: PgPool,
    audit: Option<Arc<AuditKey>>,
}

impl Db {
    pub fn new(pool: PgPool) -> Self {
        Self { pool, audit: None }
    }

    /// The same pool, its transactions chaining audit rows with `key` (without one,
    /// `audit::record` refuses to write).
    pub fn with_audit_key(self, key: AuditKey) -> Self {
        Self { audit: Some(Arc::new(key)), ..self }
    }

    pub fn audit_key(&self) -> Option<&AuditKey> {
        self.audit.as_deref()
    }

    /// A pool of `max_connections` application-role connections. Connects lazily, so a database
    /// that is briefly down does not stop the process from starting; `/readyz` reports it.
    ///
    /// sqlx checks every connection as it returns to the pool (a round trip that also carries
    /// the ROLLBACK of a dropped read). Checking it again on the way out would cost every
    /// request one more round trip, so only a connection idle for a while (which the database
    /// may have closed meanwhile) is checked before it is handed out.
    pub fn connect_lazy(options: PgConnectOptions, max_connections: u32) -> Self {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .min_connections(0)
            .acquire_timeout(Duration::from_secs(5))
            .idle_timeout(Duration::from_secs(300))
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for > CHECK_IDLE_AFTER {
                        sqlx::Connection::ping(conn).await?;
                    }
                    Ok(true)
                })
            })
            .connect_lazy_with(options);
        Self { pool, audit: None }
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Every tenant, oldest first (the `tenants` table is platform data, readable without a
    /// tenant scope): for work that visits each tenant in its own transaction.
    pub async fn tenant_ids(&self) -> sqlx::Result<Vec<TenantId>> {
        sqlx::query_scalar("select id from tenants order by created_at, id")
            .fetch_all(&self.pool)
            .await
    }

    /// Opens a transaction scoped to `tenant`. The setting is transaction-local
    /// (`set_config(..., true)`), so it can never leak to the next user of the pooled
    /// connection; opening and setting take one round trip, since this runs on every request.
    pub async fn tenant_tx(&self, tenant: TenantId) -> Result<TenantTx, DbError> {
        self.tenant_tx_with(tenant, &[]).await
    }

    /// Like [`Db::tenant_tx`], with planner settings the transaction's queries need, in the same
    /// round trip.
    #[tracing::instrument(skip(self), err)]
    pub async fn tenant_tx_with(
        &self,
        tenant: TenantId,
        hints: &[PlannerHint],
    ) -> Result<TenantTx, DbError> {
        // A TenantId is a parsed UUID and a hint's setting a constant, so neither carries SQL.
        let mut begin = format!("begin; select set_config('app.tenant_id', '{tenant}', true)");
        for (name, value) in hints.iter().map(|hint| hint.setting()) {
            begin.push_str(&format!(", set_config('{name}', '{value}', true)"));
        }
        let tx =
            self.pool.begin_with(sqlx::AssertSqlSafe(begin)).await.map_err(DbError::classify)?;
        Ok(TenantTx { tx, tenant, audit: self.audit.clone(), hints: hints.to_vec() })
    }

    /// A connection for one-call reads of `tenant` (see [`TenantRead`]): no transaction is
    /// opened, so taking it costs no round trip.
    pub async fn tenant_read(&self, tenant: TenantId) -> Result<TenantRead, DbError> {
        let conn = self.pool.acquire().await.map_err(DbError::Unavailable)?;
        Ok(TenantRead { conn, tenant })
    }
}

/// A pooled connection for reads of one tenant that take one round trip each. Its statements
/// call the reading functions (`migrations/*_one_call_reads.sql`, `*_alerts_page.sql`), which
/// take the tenant first (bound from the handle by [`TenantRead::call`]), scope their own
/// implicit transaction to it and read in the same call; row-level security then applies
/// exactly as in a [`TenantTx`], and the scope ends with the statement. Anything else run on it
/// has no scope, so the policies show it no tenant's rows at all: a read that forgets its
/// function fails closed. Writes do not belong here: they keep their transaction (with audit
/// and outbox).
#[derive(Debug)]
pub struct TenantRead {
    conn: PoolConnection<Postgres>,
    tenant: TenantId,
}

impl TenantRead {
    /// The tenant the reads are for.
    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    /// A call of a reading function with this read's tenant already bound as `$1`: the way
    /// store functions build their statement, so the scope always comes from the handle. Bind
    /// the function's other arguments, then run it on `&mut *self`.
    pub fn call<'q, O>(&self, sql: &'static str) -> QueryAs<'q, Postgres, O, PgArguments>
    where
        O: for<'r> sqlx::FromRow<'r, PgRow>,
    {
        sqlx::query_as(sql).bind(self.tenant)
    }
}

impl Deref for TenantRead {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        &self.conn
    }
}

impl DerefMut for TenantRead {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.conn
    }
}

/// A transaction whose row-level security scope is one tenant, and which knows that tenant.
/// Dereferences to the connection, so sqlx executors and `&mut PgConnection` functions take it.
#[derive(Debug)]
pub struct TenantTx {
    tx: Transaction<'static, Postgres>,
    tenant: TenantId,
    audit: Option<Arc<AuditKey>>,
    hints: Vec<PlannerHint>,
}

impl TenantTx {
    /// Makes sure `hint` holds for the rest of the transaction: free when the transaction was
    /// opened with it, one round trip otherwise.
    pub async fn hint(&mut self, hint: PlannerHint) -> Result<(), sqlx::Error> {
        if self.hints.contains(&hint) {
            return Ok(());
        }
        let (name, value) = hint.setting();
        sqlx::query("select set_config($1, $2, true)")
            .bind(name)
            .bind(value)
            .execute(&mut *self.tx)
            .await?;
        self.hints.push(hint);
        Ok(())
    }

    /// The tenant this transaction reads and writes.
    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    /// The key audit rows of this transaction are chained with.
    pub fn audit_key(&self) -> Option<&AuditKey> {
        self.audit.as_deref()
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    /// Ends the transaction without writing. Dropping it does the same, one round trip later.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }

    /// Moves the open transaction to another tenant's scope: for the few operations that must
    /// write in two scopes atomically (creating a tenant writes a platform audit row and the
    /// tenant's own rows). Everything written before stays committed-or-not with the rest.
    pub async fn switch_tenant(&mut self, tenant: TenantId) -> Result<(), sqlx::Error> {
        sqlx::query("select set_config('app.tenant_id', $1, true)")
            .bind(tenant.to_string())
            .execute(&mut *self.tx)
            .await?;
        self.tenant = tenant;
        Ok(())
    }
}

impl Deref for TenantTx {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        &self.tx
    }
}

impl DerefMut for TenantTx {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.tx
    }
}
