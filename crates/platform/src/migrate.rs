//! Schema migrations (the SQL under `migrations/`, embedded in the binary, then the job queue's
//! own, see `jobs::schema`) and the checks that the database is set up the way the isolation
//! model needs: migrations applied, and an application role that can log in, cannot bypass
//! row-level security and owns nothing.

use crate::pg::{APP_ROLE, OWNER_ROLE};
use sqlx::PgPool;
use sqlx::migrate::Migrator;

pub static MIGRATOR: Migrator = sqlx::migrate!("../../migrations");

/// Applies every pending migration: ours, then the job queue library's (which need the schema
/// and default privileges ours create). Connect as the owner role.
#[tracing::instrument(skip(owner_pool), err)]
pub async fn run(owner_pool: &PgPool) -> anyhow::Result<()> {
    check_app_role(owner_pool).await?;
    MIGRATOR.run(owner_pool).await.map_err(|e| anyhow::anyhow!("applying migrations: {e}"))?;
    crate::jobs::schema::install(owner_pool).await?;
    Ok(())
}

/// Versions of the embedded migrations that the database has not applied successfully.
pub async fn pending(pool: &PgPool) -> Result<Vec<i64>, sqlx::Error> {
    let applied: Vec<i64> =
        sqlx::query_scalar("select version from _sqlx_migrations where success order by version")
            .fetch_all(pool)
            .await?;
    Ok(MIGRATOR
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .map(|m| m.version)
        .filter(|v| !applied.contains(v))
        .collect())
}

/// Explains, one line per problem, what is wrong with the application role; empty when it is
/// right. Run before migrating an external database: the migrations grant to this role.
pub async fn app_role_problems(pool: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    let role: Option<(bool, bool, bool)> = sqlx::query_as(
        "select rolcanlogin, rolsuper, rolbypassrls from pg_roles where rolname = $1",
    )
    .bind(APP_ROLE)
    .fetch_optional(pool)
    .await?;
    let Some((can_login, is_super, bypasses_rls)) = role else {
        return Ok(vec![format!(
            "role {APP_ROLE} does not exist: create role {APP_ROLE} login nobypassrls password '…'"
        )]);
    };
    let mut problems = Vec::new();
    if !can_login {
        problems.push(format!("role {APP_ROLE} cannot log in: alter role {APP_ROLE} login"));
    }
    if is_super {
        problems.push(format!("role {APP_ROLE} is a superuser: alter role {APP_ROLE} nosuperuser"));
    }
    if bypasses_rls {
        problems.push(format!(
            "role {APP_ROLE} bypasses row-level security: alter role {APP_ROLE} nobypassrls"
        ));
    }
    let owned: Vec<String> = sqlx::query_scalar(
        "select c.relname::text from pg_class c join pg_roles r on r.oid = c.relowner
          where r.rolname = $1 and c.relnamespace = 'public'::regnamespace",
    )
    .bind(APP_ROLE)
    .fetch_all(pool)
    .await?;
    if !owned.is_empty() {
        problems.push(format!(
            "role {APP_ROLE} owns {} (it must own nothing; reassign to {OWNER_ROLE})",
            owned.join(", ")
        ));
    }
    Ok(problems)
}

async fn check_app_role(owner_pool: &PgPool) -> anyhow::Result<()> {
    let problems = app_role_problems(owner_pool).await?;
    if problems.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("the application role is not set up right:\n  - {}", problems.join("\n  - "))
    }
}
