//! Diffscan's SQL: small functions on the tenant's `TenantTx`, always filtering on `tenant_id`
//! as well (row-level security is the second wall, not the first). Nothing here decides; the
//! service does.

pub(crate) mod baselines;
pub(crate) mod deliveries;
pub(crate) mod exceptions;
pub(crate) mod findings;
pub(crate) mod github;
pub(crate) mod idempotency;
pub(crate) mod policies;
pub(crate) mod rule_packs;
pub(crate) mod scans;

use crate::error::DiffscanError;

/// Maps a unique-name violation of `constraint` to a conflict naming `what`; anything else is
/// unexpected.
pub(crate) fn name_conflict(error: sqlx::Error, constraint: &str, what: &str) -> DiffscanError {
    match error.as_database_error().and_then(|d| d.constraint()) {
        Some(found) if found == constraint => {
            DiffscanError::Conflict(format!("{what} already exists"))
        }
        _ => DiffscanError::Unexpected(error.into()),
    }
}
