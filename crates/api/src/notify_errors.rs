//! How notify's errors become problem+json: the one mapping from its domain errors to HTTP
//! statuses and stable codes.

use crate::error::{ApiError, ErrorCode, FieldError};
use notify::NotifyError;

impl From<NotifyError> for ApiError {
    fn from(error: NotifyError) -> Self {
        match error {
            NotifyError::NotFound(what) => ApiError::not_found(what),
            NotifyError::Invalid { field, code, message } => {
                ApiError::validation(vec![FieldError {
                    field: field.to_string(),
                    code: code.to_string(),
                    message,
                }])
            }
            NotifyError::Conflict(message) => ApiError::new(ErrorCode::CONFLICT, message),
            NotifyError::Unexpected(cause) => ApiError::internal(cause),
        }
    }
}
