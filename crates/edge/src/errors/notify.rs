//! How notify's errors become HTTP: the one mapping from its domain errors to statuses and
//! stable codes, shared by the API (problem+json) and the console (HTML).

use crate::error::{ApiError, ErrorCode};
use notify::NotifyError;

impl From<NotifyError> for ApiError {
    fn from(error: NotifyError) -> Self {
        match error {
            NotifyError::NotFound(what) => ApiError::not_found(what),
            NotifyError::Invalid(invalid) => invalid.into(),
            NotifyError::Forbidden(refusal) => refusal.into(),
            NotifyError::Page(error) => error.into(),
            NotifyError::Conflict(message) => ApiError::new(ErrorCode::CONFLICT, message),
            NotifyError::TooMany { message, retry_after } => {
                ApiError::new(ErrorCode::RATE_LIMITED, message)
                    .with_retry_after(retry_after.as_secs().max(1))
            }
            NotifyError::Unexpected(cause) => cause.into(),
        }
    }
}
