//! The `tenants` table (global: a tenant is the scope itself, not a row inside one).

use crate::error::{Conflict, ManageError};
use crate::model::{Slug, TenantRow};
use platform::TenantId;
use sqlx::PgConnection;

pub(crate) const TENANT_COLUMNS: &str = "id, name, slug, status, settings, created_at, updated_at";

/// Inserts a tenant; a taken slug is a `SlugTaken` conflict.
#[tracing::instrument(skip(conn))]
pub(crate) async fn insert(
    conn: &mut PgConnection,
    id: TenantId,
    name: &str,
    slug: &Slug,
) -> Result<TenantRow, ManageError> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into tenants (id, name, slug) values ($1, $2, $3) returning {TENANT_COLUMNS}"
    )))
    .bind(id)
    .bind(name)
    .bind(slug.as_str())
    .fetch_one(conn)
    .await
    .map_err(|e| slug_conflict(e, slug))
}

/// Maps the slug's unique constraint to a conflict; anything else is unexpected.
pub(crate) fn slug_conflict(error: sqlx::Error, slug: &Slug) -> ManageError {
    match error.as_database_error().and_then(|d| d.constraint()) {
        Some("tenants_slug_key") => ManageError::conflict(
            Conflict::SlugTaken,
            format!("the slug {} is already taken", slug.as_str()),
        ),
        _ => ManageError::Unexpected(error.into()),
    }
}

/// One tenant by id (global table), locked for update when `for_update`.
#[tracing::instrument(skip(conn))]
pub(crate) async fn by_id(
    conn: &mut PgConnection,
    id: TenantId,
    for_update: bool,
) -> sqlx::Result<Option<TenantRow>> {
    let lock = if for_update { " for update" } else { "" };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {TENANT_COLUMNS} from tenants where id = $1{lock}"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Up to `limit` tenants (global table) with ids after `after`, oldest first (ids are UUIDv7),
/// optionally only those with `status`.
#[tracing::instrument(skip(conn))]
pub(crate) async fn list(
    conn: &mut PgConnection,
    status: Option<&str>,
    after: Option<TenantId>,
    limit: i64,
) -> sqlx::Result<Vec<TenantRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {TENANT_COLUMNS} from tenants
          where ($1::text is null or status = $1) and ($2::uuid is null or id > $2)
          order by id limit $3"
    )))
    .bind(status)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Writes a tenant's name, slug and settings (global table); a taken slug is a `SlugTaken`
/// conflict. `None` when the tenant does not exist.
#[tracing::instrument(skip(conn, settings))]
pub(crate) async fn update(
    conn: &mut PgConnection,
    id: TenantId,
    name: &str,
    slug: &Slug,
    settings: &serde_json::Value,
) -> Result<Option<TenantRow>, ManageError> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update tenants set name = $2, slug = $3, settings = $4, updated_at = now()
          where id = $1 returning {TENANT_COLUMNS}"
    )))
    .bind(id)
    .bind(name)
    .bind(slug.as_str())
    .bind(settings)
    .fetch_optional(conn)
    .await
    .map_err(|e| slug_conflict(e, slug))
}

/// Sets a tenant's status (`active` or `suspended`; global table). `None` when it does not exist.
#[tracing::instrument(skip(conn))]
pub(crate) async fn set_status(
    conn: &mut PgConnection,
    id: TenantId,
    status: &str,
) -> sqlx::Result<Option<TenantRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update tenants set status = $2, updated_at = now() where id = $1 returning {TENANT_COLUMNS}"
    )))
    .bind(id)
    .bind(status)
    .fetch_optional(conn)
    .await
}
