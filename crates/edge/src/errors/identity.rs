//! How identity's errors become HTTP: the one mapping from its domain errors to statuses and
//! stable codes, shared by the API (problem+json) and the console (HTML).

use crate::error::{ApiError, ErrorCode};
use identity::{Conflict, LoginError, ManageError, RefreshError};

impl From<LoginError> for ApiError {
    fn from(error: LoginError) -> Self {
        match error {
            LoginError::InvalidCredentials => ApiError::new(
                ErrorCode::INVALID_CREDENTIALS,
                "The email or password is not correct.",
            ),
            LoginError::Unexpected(cause) => cause.into(),
        }
    }
}

impl From<RefreshError> for ApiError {
    fn from(error: RefreshError) -> Self {
        match error {
            RefreshError::Invalid => ApiError::new(
                ErrorCode::INVALID_REFRESH_TOKEN,
                "The refresh token is expired, revoked or unknown; log in again.",
            ),
            RefreshError::Unexpected(cause) => cause.into(),
        }
    }
}

impl From<ManageError> for ApiError {
    fn from(error: ManageError) -> Self {
        match error {
            ManageError::NotFound(what) => ApiError::not_found(what),
            ManageError::Conflict { conflict, message } => {
                let code = match conflict {
                    Conflict::SlugTaken => ErrorCode::SLUG_TAKEN,
                    Conflict::EmailTaken => ErrorCode::EMAIL_TAKEN,
                    Conflict::AlreadyMember => ErrorCode::ALREADY_MEMBER,
                    Conflict::UserProtected => ErrorCode::USER_PROTECTED,
                    Conflict::RoleLocked => ErrorCode::ROLE_LOCKED,
                    Conflict::TenantSuspended => ErrorCode::TENANT_SUSPENDED,
                };
                ApiError::new(code, message)
            }
            ManageError::Invalid(invalid) => invalid.into(),
            ManageError::Forbidden(refusal) => refusal.into(),
            ManageError::Page(error) => error.into(),
            ManageError::RegistrationDisabled => ApiError::new(
                ErrorCode::REGISTRATION_DISABLED,
                "Self-registration is turned off; ask an administrator to invite you.",
            ),
            ManageError::Unexpected(cause) => cause.into(),
        }
    }
}
