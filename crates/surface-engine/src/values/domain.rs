//! Domain names as the Surface module stores and compares them: lowercase, IDNA-encoded
//! (`bücher.example` becomes `xn--bcher-kva.example`), without the trailing root dot, made only of
//! letters, digits and hyphens, within the DNS length limits.
//!
//! It must not resolve names: the service resolves a domain through the SSRF guard and hands the
//! scanner checked addresses, each tagged with the domain for SNI and the hostname check.

use std::fmt;
use std::str::FromStr;

use idna::AsciiDenyList;
use serde::{Deserialize, Serialize};

/// The longest name DNS carries, in ASCII characters without the root dot (RFC 1035 §2.3.4).
const MAX_NAME_LEN: usize = 253;
/// The longest label DNS carries (RFC 1035 §2.3.4).
const MAX_LABEL_LEN: usize = 63;

/// A domain name in canonical form. Only made by [`DomainName::parse`], so holding one means the
/// text is a well-formed, lowercase, ASCII (IDNA) host name of at least two labels.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DomainName(String);

/// Why a text is not a domain name. Each message names the text and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("the domain name is empty")]
    Empty,
    #[error(
        "`{input}` contains `{character}`; a host name has only letters, digits, hyphens and dots"
    )]
    ForbiddenCharacter { input: String, character: char },
    #[error("`{input}` is not a valid internationalised domain name (IDNA)")]
    Idna { input: String },
    #[error("`{input}` has an empty label (a leading dot or two dots in a row)")]
    EmptyLabel { input: String },
    #[error("label `{label}` of `{input}` is longer than 63 characters")]
    LabelTooLong { input: String, label: String },
    #[error("label `{label}` of `{input}` starts or ends with a hyphen")]
    HyphenAtLabelEdge { input: String, label: String },
    #[error("`{input}` is longer than 253 characters once encoded")]
    TooLong { input: String },
    #[error("`{input}` has a single label; write a full name such as `{input}.example.com`")]
    SingleLabel { input: String },
    #[error("`{input}` ends in a numeric label; an IP address is not a domain")]
    NumericTopLevel { input: String },
}

impl DomainName {
    /// Parses a host name, Unicode or ASCII, with or without one trailing dot.
    pub fn parse(text: &str) -> Result<DomainName, DomainError> {
        let input = || text.to_owned();
        let without_root = text.strip_suffix('.').unwrap_or(text);
        if without_root.is_empty() {
            return Err(DomainError::Empty);
        }
        if let Some(character) = without_root.chars().find(|c| is_forbidden_ascii(*c)) {
            return Err(DomainError::ForbiddenCharacter { input: input(), character });
        }
        let ascii = idna::domain_to_ascii_cow(without_root.as_bytes(), AsciiDenyList::STD3)
            .map_err(|_| DomainError::Idna { input: input() })?;
        check_labels(text, &ascii)?;
        Ok(DomainName(ascii.into_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// ASCII that can never appear in a host name; reported before IDNA sees it so the message can
/// name the character (IDNA only says "invalid").
fn is_forbidden_ascii(c: char) -> bool {
    c.is_ascii() && !(c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

fn check_labels(input: &str, ascii: &str) -> Result<(), DomainError> {
    let input = || input.to_owned();
    let labels: Vec<&str> = ascii.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Err(DomainError::EmptyLabel { input: input() });
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(DomainError::LabelTooLong { input: input(), label: (*label).to_owned() });
        }
        if label.starts_with('-') || label.ends_with('-') {
            let label = (*label).to_owned();
            return Err(DomainError::HyphenAtLabelEdge { input: input(), label });
        }
    }
    if ascii.len() > MAX_NAME_LEN {
        return Err(DomainError::TooLong { input: input() });
    }
    if labels.len() < 2 {
        return Err(DomainError::SingleLabel { input: input() });
    }
    if labels.last().is_some_and(|top| top.bytes().all(|b| b.is_ascii_digit())) {
        return Err(DomainError::NumericTopLevel { input: input() });
    }
    Ok(())
}

impl FromStr for DomainName {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for DomainName {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<DomainName> for String {
    fn from(value: DomainName) -> Self {
        value.0
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
