//! Installs the queue's schema, as the owner role, during `migrate::run`.
//!
//! Order: the SQL migrations run first; `20261122000006_jobs.sql` creates the empty
//! `graphile_worker` schema, grants the application role usage on it and sets default privileges
//! so that everything the owner creates there is granted as it is created. Then the library's own
//! migrations create (or upgrade) its tables and functions. Then `AFTER_LIBRARY` does the two
//! things that need those tables and that a default privilege cannot express:
//!
//! * The library enables row-level security on its tables and defines no policy, which hides
//!   every row from any role but the owner. Each such table gets one policy opening it to
//!   `palisade_app` (job rows are platform rows; tenant isolation lives in the payload and the
//!   handler's `tenant_tx`).
//! * The library's migration ledger becomes read-only for `palisade_app`: a runner reads it at
//!   start to check the schema is current, and never writes it.
//!
//! Both steps are idempotent and run on every `migrate`, so tables a library upgrade adds are
//! covered too. The application role never gets CREATE on the schema: a runner against a
//! schema that is missing or behind fails at start, telling the operator to migrate.

use super::SCHEMA;
use anyhow::Context;
use graphile_worker::WorkerUtils;
use sqlx::PgPool;

/// Applies the library's migrations, then `AFTER_LIBRARY`. Connect as the owner role.
pub async fn install(owner_pool: &PgPool) -> anyhow::Result<()> {
    WorkerUtils::new(owner_pool.clone(), SCHEMA)
        .migrate()
        .await
        .map_err(|e| anyhow::anyhow!("applying the job queue's migrations: {e}"))?;
    sqlx::raw_sql(AFTER_LIBRARY)
        .execute(owner_pool)
        .await
        .context("granting the application role access to the job queue")?;
    Ok(())
}

/// How many of the job queue's own migrations this binary knows are not applied (all of them when
/// the queue's schema is missing): `/readyz` is not ready until this is 0.
pub async fn pending(pool: &PgPool) -> anyhow::Result<u32> {
    let known = graphile_worker_migrations::sql::GRAPHILE_WORKER_MIGRATIONS
        .last()
        .map_or(0, |m| m.migration_number());
    let exists: bool =
        sqlx::query_scalar("select to_regclass('graphile_worker.migrations') is not null")
            .fetch_one(pool)
            .await?;
    if !exists {
        return Ok(known);
    }
    let applied: i32 =
        sqlx::query_scalar("select coalesce(max(id), 0) from graphile_worker.migrations")
            .fetch_one(pool)
            .await?;
    Ok(known.saturating_sub(u32::try_from(applied).unwrap_or(0)))
}

/// One implicit transaction; the advisory lock serializes two processes migrating at once.
const AFTER_LIBRARY: &str = r#"
select pg_advisory_xact_lock(hashtext('palisade:jobs:schema'));

do $$
declare
    t record;
begin
    for t in
        select c.relname
          from pg_class c
         where c.relnamespace = 'graphile_worker'::regnamespace
           and c.relkind in ('r', 'p')
           and c.relrowsecurity
           and not exists (select 1 from pg_policy p
                            where p.polrelid = c.oid and p.polname = 'palisade_app_access')
    loop
        execute format(
            'create policy palisade_app_access on graphile_worker.%I to palisade_app using (true) with check (true)',
            t.relname);
    end loop;
end
$$;

revoke insert, update, delete, truncate on graphile_worker.migrations from palisade_app;
grant select on graphile_worker.migrations to palisade_app;
"#;
