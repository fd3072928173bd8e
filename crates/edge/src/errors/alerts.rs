//! How the alerts capability's errors become HTTP: the one mapping from its domain errors to
//! statuses and stable codes, shared by the API (problem+json) and the console (HTML).

use crate::error::{ApiError, ErrorCode};
use alerts::AlertsError;

impl From<AlertsError> for ApiError {
    fn from(error: AlertsError) -> Self {
        match error {
            AlertsError::NotFound(what) => ApiError::not_found(what),
            AlertsError::Invalid(invalid) => invalid.into(),
            AlertsError::Forbidden(refusal) => refusal.into(),
            AlertsError::Page(error) => error.into(),
            AlertsError::Unauthenticated(message) => {
                ApiError::new(ErrorCode::UNAUTHENTICATED, message)
            }
            error @ AlertsError::BadSignature => {
                ApiError::new(ErrorCode::INVALID_SIGNATURE, error.to_string())
            }
            error @ AlertsError::Replayed(_) => {
                ApiError::new(ErrorCode::REPLAYED_REQUEST, error.to_string())
            }
            error @ AlertsError::TooManyItems { .. } => {
                ApiError::new(ErrorCode::TOO_MANY_ITEMS, error.to_string())
            }
            AlertsError::UnreadableBody(message) => ApiError::new(ErrorCode::INVALID_JSON, message),
            error @ AlertsError::Transition { .. } => {
                ApiError::new(ErrorCode::ALERT_TRANSITION_NOT_ALLOWED, error.to_string())
            }
            AlertsError::Conflict(message) => ApiError::new(ErrorCode::CONFLICT, message),
            AlertsError::Unexpected(cause) => cause.into(),
        }
    }
}
