//! Exceptions: a rule (or selector) accepted under a path glob until a date, for a stated reason.
//! An expired exception stops applying and is reported, so that acceptances are revisited.
//!
//! It decides only whether an exception covers a finding on a given day; it must not read the
//! clock (the caller passes the day).

use chrono::NaiveDate;
use globset::{GlobBuilder, GlobMatcher};
use serde::Deserialize;

use crate::rules::{Rule, RuleSelector};

/// A validated exception.
#[derive(Debug, Clone)]
pub struct Exception {
    pub(crate) rule: RuleSelector,
    pub(crate) path_glob: String,
    path: GlobMatcher,
    pub(crate) expires: NaiveDate,
    pub(crate) reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawException {
    pub rule: RuleSelector,
    pub path: String,
    pub expires: NaiveDate,
    pub reason: String,
}

impl Exception {
    pub(crate) fn from_raw(raw: RawException) -> Result<Exception, String> {
        let path = GlobBuilder::new(&raw.path)
            .literal_separator(true)
            .build()
            .map_err(|error| format!("exception path {:?}: {error}", raw.path))?
            .compile_matcher();
        if raw.reason.chars().filter(|c| c.is_alphabetic()).count() < 8 {
            return Err(format!("the exception for {} needs a reason", raw.rule.as_str()));
        }
        Ok(Exception {
            rule: raw.rule,
            path_glob: raw.path,
            path,
            expires: raw.expires,
            reason: raw.reason,
        })
    }

    /// Whether it has expired on `today` (it still applies on its expiry date).
    pub fn is_expired(&self, today: NaiveDate) -> bool {
        today > self.expires
    }

    pub fn covers(&self, rule: &Rule, path: Option<&str>, today: NaiveDate) -> bool {
        !self.is_expired(today)
            && self.rule.matches(&rule.id, rule.family)
            && path.is_some_and(|path| self.path.is_match(path))
    }

    pub fn rule(&self) -> &RuleSelector {
        &self.rule
    }

    pub fn path_glob(&self) -> &str {
        &self.path_glob
    }

    pub fn expires(&self) -> NaiveDate {
        self.expires
    }

    pub fn reason(&self) -> &str {
        &self.reason
    }
}
