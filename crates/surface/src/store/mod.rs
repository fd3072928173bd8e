//! Surface's SQL: small functions over the tenant-owned `assets`, `scans`, `snapshots` and
//! `changes` tables, each taking the caller's `TenantTx` and filtering on its tenant as well as
//! relying on row-level security. Rows are turned into the model here; nothing here decides.

pub(crate) mod assets;
pub(crate) mod changes;
pub(crate) mod scans;
pub(crate) mod snapshots;

/// The named constraint a database error violated, if any.
pub(crate) fn constraint(error: &sqlx::Error) -> Option<&str> {
    error.as_database_error().and_then(|d| d.constraint())
}
