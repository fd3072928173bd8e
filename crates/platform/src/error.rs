//! The error plumbing every capability shares, so that each use-case error enum only lists what
//! is its own:
//!
//! * [`Invalid`]: one invalid field, with a code from the one catalog of field codes
//!   ([`FieldCode`], which `docs/error-codes.md` is tested against);
//! * [`unexpected_from!`](crate::unexpected_from): the `From` conversions of database, jobs and
//!   other infrastructure errors into a use case's `Unexpected(anyhow::Error)` arm.
//!
//! A domain error enum looks like:
//!
//! ```ignore
//! #[derive(Debug, thiserror::Error)]
//! pub enum SurfaceError {
//!     #[error("{0} not found")]
//!     NotFound(&'static str),
//!     #[error(transparent)]
//!     Invalid(#[from] Invalid),
//!     #[error(transparent)]
//!     Forbidden(#[from] Forbidden),
//!     #[error(transparent)]
//!     Page(#[from] PageError),
//!     #[error(transparent)]
//!     Unexpected(#[from] anyhow::Error),
//! }
//! platform::unexpected_from!(SurfaceError: sqlx::Error, platform::DbError, platform::jobs::JobsError);
//! ```
//!
//! It must not know HTTP: the api crate maps each arm to a status and a stable code.

use std::borrow::Cow;
use std::fmt;

/// Implements `From<Source> for Target` as `Target::Unexpected(anyhow::Error::new(source))` for
/// each listed source type: failures of infrastructure are never part of a use case's contract.
#[macro_export]
macro_rules! unexpected_from {
    ($target:ty: $($source:ty),+ $(,)?) => {
        $(
            impl ::std::convert::From<$source> for $target {
                fn from(error: $source) -> Self {
                    Self::Unexpected($crate::__anyhow::Error::new(error))
                }
            }
        )+
    };
}

macro_rules! field_codes {
    ($($code:ident),+ $(,)?) => {
        /// Why one field of a request is invalid: the `code` of an entry of `errors[]`. Every
        /// capability's codes are listed here (and in docs/error-codes.md).
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum FieldCode { $($code),+ }

        impl FieldCode {
            pub const ALL: &'static [FieldCode] = &[$(FieldCode::$code),+];

            pub fn as_str(self) -> &'static str {
                match self { $(FieldCode::$code => stringify!($code)),+ }
            }
        }
    };
}

field_codes! {
    // Any capability.
    REQUIRED,
    OUT_OF_RANGE,
    TOO_LONG,
    TOO_LARGE,
    TOO_MANY,
    INVALID_TEXT,
    INVALID_TIMESTAMP,
    NOT_IN_FUTURE,
    IMMUTABLE,
    NOT_APPLICABLE,
    // Identity.
    INVALID_NAME,
    INVALID_EMAIL,
    INVALID_SLUG,
    INVALID_ROLE,
    INVALID_STATUS,
    INVALID_SETTINGS,
    UNKNOWN_ROLE,
    UNKNOWN_PERMISSION,
    PLATFORM_PERMISSION,
    PASSWORD_TOO_SHORT,
    PASSWORD_TOO_LONG,
    PASSWORD_TOO_COMMON,
    PASSWORD_CONTAINS_EMAIL,
    // Notifications and every outbound address.
    INVALID_KIND,
    INVALID_EVENT_TYPE,
    INVALID_SEVERITY,
    INVALID_TLS,
    INVALID_URL,
    URL_NOT_ALLOWED,
    URL_NOT_RESOLVABLE,
    INVALID_HOST,
    HOST_NOT_ALLOWED,
    HOST_NOT_RESOLVABLE,
    TLS_REQUIRED,
    USERNAME_REQUIRED,
    // Alerts: one item of an ingested batch, rules, triage.
    INVALID_JSON,
    NOT_AN_OBJECT,
    MISSING_FIELD,
    INVALID_FIELD,
    UNRECOGNIZED_SHAPE,
    INVALID_RULE,
    INVALID_EXCEPTION,
    INVALID_DISPOSITION,
    INVALID_ASSIGNEE,
    INVALID_LINK,
    // Diffscan.
    INVALID_POLICY,
    INVALID_RULE_PACK,
    INVALID_RULE_SELECTOR,
    INVALID_PATH_GLOB,
    INVALID_DATE,
    INVALID_FINGERPRINT,
    INVALID_BASE64,
    INVALID_REPOSITORY,
    INVALID_IDEMPOTENCY_KEY,
    UNKNOWN_RULE,
    UNKNOWN_REFERENCE,
    // Surface.
    INVALID_DOMAIN,
    INVALID_IP,
    INVALID_CIDR,
    CIDR_TOO_LARGE,
    INVALID_PORTS,
    INVALID_TAG,
    INVALID_SCHEDULE,
    INVALID_METHOD,
}

impl fmt::Display for FieldCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One invalid field: which, why (a stable code) and what to do (plain words for people).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    /// The name of the body field or query parameter, e.g. `email` or `items[3].severity`.
    pub field: Cow<'static, str>,
    pub code: FieldCode,
    pub message: String,
}

impl Invalid {
    pub fn new(
        field: impl Into<Cow<'static, str>>,
        code: FieldCode,
        message: impl Into<String>,
    ) -> Invalid {
        Invalid { field: field.into(), code, message: message.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_codes_are_their_names_and_unique() {
        let names: std::collections::BTreeSet<&str> =
            FieldCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), FieldCode::ALL.len());
        assert_eq!(FieldCode::OUT_OF_RANGE.to_string(), "OUT_OF_RANGE");
    }

    #[test]
    fn an_invalid_field_reads_as_field_and_message() {
        let invalid = Invalid::new("email", FieldCode::INVALID_EMAIL, "not a valid email address");
        assert_eq!(invalid.to_string(), "email: not a valid email address");
    }
}
