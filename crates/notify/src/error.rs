//! Errors of notify's use cases, in domain terms; the api crate alone maps them to HTTP statuses
//! and stable codes. Messages never carry a channel secret (nor a Slack URL, which is one).

use platform::access::Forbidden;
use platform::{FieldCode, Invalid, PageError};

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error(transparent)]
    Page(#[from] PageError),
    /// The object's current state does not allow the change (a delivery that is not dead or
    /// failed cannot be retried; a channel name is taken).
    #[error("{0}")]
    Conflict(String),
    /// Too many of something in a short time (test sends of one channel); try again after
    /// `retry_after`.
    #[error("{message}")]
    TooMany { message: String, retry_after: std::time::Duration },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl NotifyError {
    pub fn invalid(field: &'static str, code: FieldCode, message: impl Into<String>) -> Self {
        NotifyError::Invalid(Invalid::new(field, code, message))
    }
}

platform::unexpected_from!(NotifyError: sqlx::Error, platform::DbError, platform::jobs::JobsError);
