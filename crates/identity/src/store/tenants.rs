//! The `tenants` table (global: a tenant is the scope itself, not a row inside one).

use crate::error::{Conflict, ManageError};
use crate::model::Slug;
use chrono::{DateTime, Utc};
use platform::TenantId;
use sqlx::PgConnection;

#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct TenantRow {
    pub id: TenantId,
    pub name: String,
    pub slug: String,
    pub status: String,
    pub settings: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub const TENANT_COLUMNS: &str = "id, name, slug, status, settings, created_at, updated_at";

/// Inserts a tenant; a taken slug is a `SlugTaken` conflict.
#[tracing::instrument(skip(conn))]
pub async fn insert(conn: &mut PgConnection, id: TenantId, name: &str, slug: &Slug) -> Result<TenantRow, ManageError> {
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
pub fn slug_conflict(error: sqlx::Error, slug: &Slug) -> ManageError {
    match error.as_database_error().and_then(|d| d.constraint()) {
        Some("tenants_slug_key") => {
            ManageError::conflict(Conflict::SlugTaken, format!("the slug {} is already taken", slug.as_str()))
        }
        _ => ManageError::Unexpected(error.into()),
    }
}
