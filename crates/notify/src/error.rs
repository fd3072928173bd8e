//! Errors of notify's use cases, in domain terms; the api crate alone maps them to HTTP statuses
//! and stable codes. Messages never carry a channel secret (nor a Slack URL, which is one).

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{field}: {message}")]
    Invalid { field: &'static str, code: &'static str, message: String },
    /// The object's current state does not allow the change (a delivery that is not dead or
    /// failed cannot be retried; a channel name is taken).
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl NotifyError {
    pub fn invalid(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        NotifyError::Invalid { field, code, message: message.into() }
    }
}

impl From<sqlx::Error> for NotifyError {
    fn from(e: sqlx::Error) -> Self {
        NotifyError::Unexpected(e.into())
    }
}

impl From<platform::DbError> for NotifyError {
    fn from(e: platform::DbError) -> Self {
        NotifyError::Unexpected(e.into())
    }
}

impl From<platform::jobs::JobsError> for NotifyError {
    fn from(e: platform::jobs::JobsError) -> Self {
        NotifyError::Unexpected(e.into())
    }
}
