//! Rule identifiers and the selectors that policies, exceptions and suppressions use to name
//! rules (`secrets.aws-access-key-id`, `secrets.*`, `family:hidden-text`).
//!
//! Both are parsed once into newtypes; nothing else in the crate handles raw id strings.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Family;

/// `family.name`: lowercase ASCII letters and digits in parts joined by `.` or `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RuleId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleIdError {
    #[error("rule id {0:?} must be 3 to 100 characters")]
    Length(String),
    #[error(
        "rule id {0:?} may only hold lowercase letters, digits, `.` and `-`, and must contain a `.`"
    )]
    Characters(String),
    #[error("selector {0:?} names no family")]
    UnknownFamily(String),
}

impl RuleId {
    pub fn parse(text: &str) -> Result<RuleId, RuleIdError> {
        let shown = || text.chars().take(100).collect::<String>();
        if !(3..=100).contains(&text.len()) {
            return Err(RuleIdError::Length(shown()));
        }
        let parts_ok = text.split(['.', '-']).all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
        if !parts_ok || !text.contains('.') {
            return Err(RuleIdError::Characters(shown()));
        }
        Ok(RuleId(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RuleId {
    type Error = RuleIdError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        RuleId::parse(&text)
    }
}

impl From<RuleId> for String {
    fn from(id: RuleId) -> Self {
        id.0
    }
}

/// Names a set of rules: an exact id, an id pattern with `*`, or `family:<family>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RuleSelector {
    text: String,
    kind: SelectorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum SelectorKind {
    Exact,
    Pattern,
    Family(Family),
}

impl RuleSelector {
    pub fn parse(text: &str) -> Result<RuleSelector, RuleIdError> {
        let text = text.trim();
        if let Some(name) = text.strip_prefix("family:") {
            let family =
                family_named(name).ok_or_else(|| RuleIdError::UnknownFamily(text.into()))?;
            return Ok(RuleSelector { text: text.into(), kind: SelectorKind::Family(family) });
        }
        if text.contains('*') {
            let allowed =
                |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b"*.-".contains(&b);
            if text.len() > 100 || !text.bytes().all(allowed) {
                return Err(RuleIdError::Characters(text.chars().take(100).collect()));
            }
            return Ok(RuleSelector { text: text.into(), kind: SelectorKind::Pattern });
        }
        RuleId::parse(text)?;
        Ok(RuleSelector { text: text.into(), kind: SelectorKind::Exact })
    }

    pub fn matches(&self, id: &RuleId, family: Family) -> bool {
        match &self.kind {
            SelectorKind::Exact => self.text == id.0,
            SelectorKind::Pattern => wildcard_match(&self.text, &id.0),
            SelectorKind::Family(wanted) => *wanted == family,
        }
    }

    /// The one rule id this selector names, when it is an exact id.
    pub fn exact_id(&self) -> Option<&str> {
        (self.kind == SelectorKind::Exact).then_some(self.text.as_str())
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl TryFrom<String> for RuleSelector {
    type Error = RuleIdError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        RuleSelector::parse(&text)
    }
}

impl From<RuleSelector> for String {
    fn from(selector: RuleSelector) -> Self {
        selector.text
    }
}

fn family_named(name: &str) -> Option<Family> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}

/// `*` matches any run of characters (including none); everything else matches itself.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middles)) = parts.split_last() else { return rest.is_empty() };
    for middle in middles {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_lowercase_dotted_names() {
        assert!(RuleId::parse("secrets.aws-access-key-id").is_ok());
        assert!(RuleId::parse("Secrets.AWS").is_err());
        assert!(RuleId::parse("nodot").is_err());
        assert!(RuleId::parse("a..b").is_err());
    }

    #[test]
    fn selectors_match_exact_ids_patterns_and_families() {
        let id = RuleId::parse("secrets.github-token").unwrap_or_else(|e| panic!("{e}"));
        let select = |text: &str| RuleSelector::parse(text).unwrap_or_else(|e| panic!("{e}"));
        assert!(select("secrets.github-token").matches(&id, Family::Secrets));
        assert!(select("secrets.*").matches(&id, Family::Secrets));
        assert!(select("*.github-*").matches(&id, Family::Secrets));
        assert!(!select("ci-cd.*").matches(&id, Family::Secrets));
        assert!(select("family:secrets").matches(&id, Family::Secrets));
        assert!(RuleSelector::parse("family:nonsense").is_err());
    }
}
