//! How diffscan's errors become HTTP: the one mapping from its domain errors to statuses and
//! stable codes, shared by the API (problem+json) and the console (HTML).

use crate::error::{ApiError, ErrorCode, FieldError};
use diffscan::DiffscanError;

impl From<DiffscanError> for ApiError {
    fn from(error: DiffscanError) -> Self {
        match error {
            DiffscanError::NotFound(what) => ApiError::not_found(what),
            DiffscanError::Invalid(invalid) => invalid.into(),
            DiffscanError::InvalidMany(all) => ApiError::validation(
                all.into_iter()
                    .map(|invalid| FieldError {
                        field: invalid.field.into_owned(),
                        code: invalid.code.as_str().to_string(),
                        message: invalid.message,
                    })
                    .collect(),
            ),
            DiffscanError::Forbidden(refusal) => refusal.into(),
            DiffscanError::Page(error) => error.into(),
            DiffscanError::Conflict(message) => ApiError::new(ErrorCode::CONFLICT, message),
            DiffscanError::IdempotencyConflict => ApiError::new(
                ErrorCode::IDEMPOTENCY_CONFLICT,
                "This Idempotency-Key was used with a different request in the last 24 hours; \
                 use a new key for a new request.",
            ),
            DiffscanError::RuleIdTaken(message) => ApiError::new(ErrorCode::RULE_ID_TAKEN, message),
            DiffscanError::DiffPurged(at) => ApiError::new(
                ErrorCode::DIFF_PURGED,
                format!(
                    "The raw diff was purged at {}; the scan's result remains.",
                    at.to_rfc3339()
                ),
            ),
            DiffscanError::NotComplete(message) => {
                ApiError::new(ErrorCode::SCAN_NOT_COMPLETE, message)
            }
            DiffscanError::WebhookSignature(message) => {
                ApiError::new(ErrorCode::WEBHOOK_SIGNATURE_INVALID, message)
            }
            DiffscanError::Unexpected(cause) => cause.into(),
        }
    }
}
