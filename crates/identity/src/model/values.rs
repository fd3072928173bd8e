//! Typed values of the identity domain, parsed once at the edge: emails, tenant slugs, names.

use crate::error::ManageError;
use platform::FieldCode;
use serde::Serialize;
use std::fmt;

/// A syntactically valid email address, trimmed; compared case-insensitively by the database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Email, ManageError> {
        let email = text.trim();
        let invalid =
            || ManageError::invalid("email", FieldCode::INVALID_EMAIL, "not a valid email address");
        if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = email.rsplit_once('@').ok_or_else(invalid)?;
        // Single-label domains (admin@localhost, intranet hosts) are allowed.
        let domain_ok = domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        Ok(Email(email.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A tenant's URL-safe short name: 1–63 of `a-z0-9-`, starting with a letter or digit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(text: &str) -> Result<Slug, ManageError> {
        let slug = text.trim();
        let valid = (1..=63).contains(&slug.len())
            && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !slug.starts_with('-');
        if valid {
            Ok(Slug(slug.to_string()))
        } else {
            Err(ManageError::invalid(
                "slug",
                FieldCode::INVALID_SLUG,
                "1 to 63 lowercase letters, digits and dashes, not starting with a dash",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A human-readable name (tenant or person): trimmed, 1–200 characters, no control characters.
pub fn parse_name(field: &'static str, text: &str) -> Result<String, ManageError> {
    let name = text.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ManageError::invalid(
            field,
            FieldCode::INVALID_NAME,
            "1 to 200 characters, no control characters",
        ));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_parsed_strictly() {
        for good in ["a@example.com", " Bob.Smith+tag@sub.example.org ", "admin@localhost"] {
            assert!(Email::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "no-at-sign", "@example.com", "a@", "a@.com", "a b@example.com", "a@-x.com"]
        {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugs_are_lowercase_dashed_words() {
        assert!(Slug::parse("acme-corp-2").is_ok());
        for bad in ["", "Acme", "-acme", "acme corp", "a".repeat(64).as_str()] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_refuse_control_characters_and_empty_text() {
        assert_eq!(parse_name("name", "  Acme  ").unwrap(), "Acme");
        assert!(parse_name("name", "   ").is_err());
        assert!(parse_name("name", "bad\u{0}name").is_err());
    }
}
