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
            LoginError::EmailNotVerified => ApiError::new(
                ErrorCode::EMAIL_NOT_VERIFIED,
                "Open the link we mailed to your address to verify it, then log in.",
            ),
            LoginError::Throttled { retry_after } => ApiError::new(
                ErrorCode::RATE_LIMITED,
                "Too many failed attempts for this account from here; wait before trying again.",
            )
            .with_retry_after(retry_after.as_secs().max(1)),
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
                    Conflict::LastTenantAdmin => ErrorCode::LAST_TENANT_ADMIN,
                    Conflict::MailNotConfigured => ErrorCode::MAIL_NOT_CONFIGURED,
                    Conflict::InvitationClosed => ErrorCode::INVITATION_CLOSED,
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
            ManageError::InvalidToken => ApiError::new(
                ErrorCode::INVALID_TOKEN,
                "The token is not valid, was already used, or has expired; ask for a new one.",
            ),
            ManageError::WrongPassword => {
                ApiError::new(ErrorCode::INVALID_CREDENTIALS, "The password is not correct.")
            }
            ManageError::Unexpected(cause) => cause.into(),
        }
    }
}
