//! The password policy: the rules a *new* password must satisfy before it is hashed and stored.
//!
//! It owns [`NewPassword`] (a candidate that passed the rules, kept in a [`Secret`]), the
//! [`PasswordPolicyError`] codes the api crate shows to users, and the built-in list of common
//! passwords (`common.txt`). It must not hash, store or log passwords, and it must not be applied
//! at login: existing passwords are verified as they are, whatever today's rules say.

use platform::{FieldCode, Secret};
use std::collections::HashSet;
use std::sync::LazyLock;

/// Fewest characters (Unicode scalar values, not bytes) a new password may have.
pub const MIN_CHARS: usize = 12;

/// Most bytes a password may have. It bounds the work a single hash or verify can cause.
pub const MAX_BYTES: usize = 1024;

/// Shortest email local part that is checked for; shorter ones ("jo") match too much by accident.
const MIN_LOCAL_PART_CHARS: usize = 3;

/// Common leaked passwords and keyboard patterns, one per line, lower case.
const COMMON_LIST: &str = include_str!("common.txt");

static COMMON: LazyLock<HashSet<String>> = LazyLock::new(|| {
    COMMON_LIST
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_lowercase)
        .collect()
});

/// Why a candidate password was refused. The messages are shown to the user as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordPolicyError {
    #[error("password must be at least {min} characters long")]
    TooShort { min: usize },
    #[error("password must be at most {MAX_BYTES} bytes long")]
    TooLong,
    #[error("password is too common; choose one that is harder to guess")]
    Common,
    #[error("password must not contain your email address")]
    ContainsEmail,
}

impl PasswordPolicyError {
    /// A stable, machine-readable code for API responses. Never change an existing code.
    pub fn code(&self) -> FieldCode {
        match self {
            Self::TooShort { .. } => FieldCode::PASSWORD_TOO_SHORT,
            Self::TooLong => FieldCode::PASSWORD_TOO_LONG,
            Self::Common => FieldCode::PASSWORD_TOO_COMMON,
            Self::ContainsEmail => FieldCode::PASSWORD_CONTAINS_EMAIL,
        }
    }

    /// This refusal as the field error of `field` (usually `password`).
    pub fn invalid(&self, field: &'static str) -> platform::Invalid {
        platform::Invalid::new(field, self.code(), self.to_string())
    }
}

/// A password that satisfied the policy. Debug and Display print `[redacted]`.
#[derive(Debug, Clone)]
pub struct NewPassword(Secret<String>);

impl NewPassword {
    /// Checks `candidate` against the policy for the account whose address is `email`.
    ///
    /// The candidate is kept exactly as typed: no trimming and no normalization.
    pub fn parse(candidate: &str, email: &str) -> Result<Self, PasswordPolicyError> {
        if candidate.len() > MAX_BYTES {
            return Err(PasswordPolicyError::TooLong);
        }
        if candidate.chars().count() < MIN_CHARS {
            return Err(PasswordPolicyError::TooShort { min: MIN_CHARS });
        }
        let lowered = candidate.to_lowercase();
        if COMMON.contains(&lowered) {
            return Err(PasswordPolicyError::Common);
        }
        if contains_local_part(&lowered, email) {
            return Err(PasswordPolicyError::ContainsEmail);
        }
        Ok(Self(Secret::new(candidate.to_owned())))
    }

    /// The password itself, for the hasher only.
    pub(crate) fn expose(&self) -> &str {
        self.0.expose()
    }
}

/// Whether the lower-cased candidate contains the part of `email` before the last '@'.
fn contains_local_part(lowered_candidate: &str, email: &str) -> bool {
    let local = email.rsplit_once('@').map_or(email, |(local, _)| local).trim();
    if local.chars().count() < MIN_LOCAL_PART_CHARS {
        return false;
    }
    lowered_candidate.contains(&local.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMAIL: &str = "jdoe@example.com";

    #[test]
    fn a_long_uncommon_passphrase_is_accepted() {
        let password = NewPassword::parse("violet-harbour-teapot-42", EMAIL).unwrap();
        assert_eq!(password.expose(), "violet-harbour-teapot-42");
    }

    #[test]
    fn eleven_characters_are_too_short() {
        let err = NewPassword::parse("abcdefghij1", EMAIL).unwrap_err();
        assert_eq!(err, PasswordPolicyError::TooShort { min: 12 });
        assert_eq!(err.code().as_str(), "PASSWORD_TOO_SHORT");
    }

    #[test]
    fn twelve_characters_are_long_enough() {
        assert!(NewPassword::parse("zebra-kettle", EMAIL).is_ok());
    }

    #[test]
    fn multi_byte_characters_count_as_one_character_each() {
        // 11 characters but 22 bytes: still too short.
        let eleven = "ééééééééééé";
        assert_eq!(eleven.chars().count(), 11);
        assert_eq!(
            NewPassword::parse(eleven, EMAIL).unwrap_err(),
            PasswordPolicyError::TooShort { min: 12 }
        );
        assert!(NewPassword::parse("ééééééééééé🔒", EMAIL).is_ok());
    }

    #[test]
    fn more_than_1024_bytes_is_too_long() {
        assert!(NewPassword::parse(&"x".repeat(MAX_BYTES), EMAIL).is_ok());
        let err = NewPassword::parse(&"x".repeat(MAX_BYTES + 1), EMAIL).unwrap_err();
        assert_eq!(err, PasswordPolicyError::TooLong);
        assert_eq!(err.code().as_str(), "PASSWORD_TOO_LONG");
    }

    #[test]
    fn a_common_password_is_rejected_whatever_its_case() {
        for candidate in ["password1234", "Password1234", "PASSWORD1234", "QwertyUiop123"] {
            let err = NewPassword::parse(candidate, EMAIL).unwrap_err();
            assert_eq!(err, PasswordPolicyError::Common, "{candidate}");
            assert_eq!(err.code().as_str(), "PASSWORD_TOO_COMMON");
        }
    }

    #[test]
    fn the_common_list_is_large_and_holds_long_entries() {
        assert!(COMMON.len() >= 500);
        assert!(COMMON.iter().filter(|p| p.chars().count() >= MIN_CHARS).count() >= 100);
        for long in ["123456789012", "iloveyou1234", "qwertyuiop123"] {
            assert!(COMMON.contains(long), "{long}");
        }
    }

    #[test]
    fn a_password_containing_the_email_local_part_is_rejected() {
        let err = NewPassword::parse("jdoe-secure-pass", EMAIL).unwrap_err();
        assert_eq!(err, PasswordPolicyError::ContainsEmail);
        assert_eq!(err.code().as_str(), "PASSWORD_CONTAINS_EMAIL");
        assert_eq!(
            NewPassword::parse("my-JDOE-secure-pass", "JDoe@Example.com").unwrap_err(),
            PasswordPolicyError::ContainsEmail
        );
    }

    #[test]
    fn a_local_part_shorter_than_three_characters_is_not_checked() {
        assert!(NewPassword::parse("jo-walks-the-dog", "jo@example.com").is_ok());
    }

    #[test]
    fn every_error_has_a_user_facing_message() {
        assert_eq!(
            PasswordPolicyError::TooShort { min: 12 }.to_string(),
            "password must be at least 12 characters long"
        );
        assert_eq!(
            PasswordPolicyError::TooLong.to_string(),
            "password must be at most 1024 bytes long"
        );
        assert!(!PasswordPolicyError::Common.to_string().is_empty());
        assert!(!PasswordPolicyError::ContainsEmail.to_string().is_empty());
    }

    #[test]
    fn debug_output_does_not_show_the_password() {
        let password = NewPassword::parse("violet-harbour-teapot-42", EMAIL).unwrap();
        let debug = format!("{password:?}");
        assert!(!debug.contains("violet"), "{debug}");
        assert!(debug.contains("[redacted]"), "{debug}");
    }
}
