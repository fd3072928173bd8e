//! Errors of diffscan's use cases, in domain terms; the edge alone maps them to HTTP statuses and
//! stable codes (`edge::errors::diffscan`). Messages never carry a diff, a token or a secret.

use chrono::{DateTime, Utc};
use platform::access::Forbidden;
use platform::{FieldCode, Invalid, PageError};

#[derive(Debug, thiserror::Error)]
pub enum DiffscanError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// Several invalid fields at once (a rule pack with problems on several lines).
    #[error("{} fields are invalid", .0.len())]
    InvalidMany(Vec<Invalid>),
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error(transparent)]
    Page(#[from] PageError),
    /// A name is taken, or the object's state does not allow the change.
    #[error("{0}")]
    Conflict(String),
    /// The `Idempotency-Key` was used before with a different request.
    #[error("this Idempotency-Key was used with a different request")]
    IdempotencyConflict,
    /// A tenant pack's rule ids collide with the built-in pack or another enabled pack.
    #[error("{0}")]
    RuleIdTaken(String),
    /// The raw diff was purged (by retention or on request) at this time.
    #[error("the diff was purged at {0}")]
    DiffPurged(DateTime<Utc>),
    /// The scan has no result yet (still queued or running).
    #[error("{0}")]
    NotComplete(String),
    /// A webhook delivery that is not signed with the installation's secret.
    #[error("{0}")]
    WebhookSignature(&'static str),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl DiffscanError {
    pub fn invalid(field: &'static str, code: FieldCode, message: impl Into<String>) -> Self {
        DiffscanError::Invalid(Invalid::new(field, code, message))
    }
}

platform::unexpected_from!(
    DiffscanError: sqlx::Error,
    platform::DbError,
    platform::jobs::JobsError,
    crate::objects::ObjectError,
);
