//! Errors of surface's use cases, in domain terms; `edge::errors::surface` alone maps them to
//! HTTP statuses and stable codes. Messages are for the client: they never carry internal
//! detail (that is logged through `Unexpected`).

use platform::access::Forbidden;
use platform::{FieldCode, Invalid, PageError};

#[derive(Debug, thiserror::Error)]
pub enum SurfaceError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error(transparent)]
    Page(#[from] PageError),
    /// The tenant already has an asset with this value.
    #[error("{0}")]
    AssetExists(String),
    /// A scan was asked for an asset whose authorization to scan is not (or no longer) proven.
    #[error("{0}")]
    NotAuthorized(String),
    /// The asset already has a queued or running scan.
    #[error("{0}")]
    ScanInProgress(String),
    /// `verify` by DNS or HTTP before `authorize` issued a token.
    #[error("{0}")]
    NoChallenge(String),
    /// The scan already ended: nothing to cancel.
    #[error("{0}")]
    ScanFinished(String),
    /// No completed scan to accept as the baseline.
    #[error("{0}")]
    NoSnapshot(String),
    /// The tenant reached its asset limit.
    #[error("{0}")]
    LimitReached(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl SurfaceError {
    pub fn invalid(field: &'static str, code: FieldCode, message: impl Into<String>) -> Self {
        SurfaceError::Invalid(Invalid::new(field, code, message))
    }
}

platform::unexpected_from!(SurfaceError: sqlx::Error, platform::DbError, platform::jobs::JobsError);
