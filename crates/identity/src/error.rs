//! Errors of identity's use cases. Each says what went wrong in domain terms; the api crate alone
//! maps them to HTTP statuses and stable codes. Unexpected failures carry their cause for the log.

use platform::access::Forbidden;
use platform::{FieldCode, Invalid, PageError};

/// Authenticating a request (bearer token or API key) failed. Deliberately coarse: the client
/// learns that its credential is not accepted, not why (except that an access token expired,
/// which tells it to refresh).
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("no credential was presented")]
    Missing,
    #[error("the access token has expired")]
    Expired,
    #[error("the credential is not valid")]
    Invalid,
    #[error("X-Tenant-Id is only allowed to global administrators")]
    TenantOverrideRefused,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Logging in failed. Unknown email, wrong password, blocked user and suspended tenant are the
/// same error on purpose.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("invalid email or password")]
    InvalidCredentials,
    /// The password is right but the address was never verified (self-registration).
    #[error("the email address is not verified yet")]
    EmailNotVerified,
    /// Too many failures for this account from this client; try again after the wait.
    #[error("too many failed attempts")]
    Throttled { retry_after: std::time::Duration },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error("the refresh token is not valid")]
    Invalid,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Why a change was refused because of the current state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conflict {
    SlugTaken,
    EmailTaken,
    AlreadyMember,
    UserProtected,
    RoleLocked,
    TenantSuspended,
    /// The change would leave the tenant without an active administrator.
    LastTenantAdmin,
    /// Mail to people (invitations) needs `[mail]`, which is not configured.
    MailNotConfigured,
    /// The invitation was accepted, revoked or replaced already.
    InvitationClosed,
}

/// Managing tenants, users, roles and API keys, and reading the audit log.
#[derive(Debug, thiserror::Error)]
pub enum ManageError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{message}")]
    Conflict { conflict: Conflict, message: String },
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error(transparent)]
    Page(#[from] PageError),
    #[error("registration is disabled on this installation")]
    RegistrationDisabled,
    /// A token sent by email (invitation, password reset, verification) that is not ours, or
    /// was used, revoked or has expired.
    #[error("the token is invalid, used or expired")]
    InvalidToken,
    /// The password of the account is not the one given (accepting an invitation with an
    /// existing account, changing one's password).
    #[error("the password is not correct")]
    WrongPassword,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl ManageError {
    pub fn invalid(field: &'static str, code: FieldCode, message: impl Into<String>) -> Self {
        ManageError::Invalid(Invalid::new(field, code, message))
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ManageError::Forbidden(Forbidden::new(message))
    }

    pub fn conflict(conflict: Conflict, message: impl Into<String>) -> Self {
        ManageError::Conflict { conflict, message: message.into() }
    }
}

platform::unexpected_from!(ManageError: sqlx::Error, platform::DbError, platform::jobs::JobsError);
platform::unexpected_from!(LoginError: sqlx::Error, platform::DbError);
platform::unexpected_from!(RefreshError: sqlx::Error, platform::DbError);
platform::unexpected_from!(AuthError: sqlx::Error, platform::DbError);
