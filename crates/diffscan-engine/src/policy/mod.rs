//! Policy: the active profile, exceptions, whether inline suppressions are honoured (and for
//! which rules never), fail-open or fail-closed on error, and the scan limits; loaded from a YAML
//! or JSON file. Also baselines and the step that grades raw findings into the decision.
//!
//! A policy is data chosen by the tenant; it must not be influenced by the diff being scanned
//! (a diff can carry suppression comments, but the policy decides whether they count).

mod baseline;
mod decide;
mod exception;
mod profile;

pub use baseline::{Baseline, BaselineEntry, BaselineError, Fingerprint};
pub use exception::Exception;
pub use profile::{BUILTIN_PROFILES, BlockAt, Never, Profile};

pub(crate) use decide::grade;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::rules::{RuleSelector, RuleSet};
use crate::verify::Limits;
use exception::RawException;
use profile::RawProfile;

/// What an `error` (a diff too large, not a diff, cut short) turns into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum OnError {
    /// The decision is `error`, which the caller treats as not passing.
    #[default]
    FailClosed,
    /// The decision is whatever the findings say; the report is marked degraded.
    FailOpen,
}

/// Whether a diff's own `palisade-ignore` comments count, and for which rules they never do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InlineSuppressions {
    pub enabled: bool,
    pub never: Vec<RuleSelector>,
}

impl Default for InlineSuppressions {
    /// Honoured, except for hidden text, prompt injection and diff integrity: there the comment
    /// would come from the very author the finding is about.
    fn default() -> Self {
        let never = ["family:hidden-text", "family:prompt-injection", "family:integrity"]
            .iter()
            .filter_map(|text| RuleSelector::parse(text).ok())
            .collect();
        InlineSuppressions { enabled: true, never }
    }
}

/// A complete, validated policy.
#[derive(Debug, Clone)]
pub struct Policy {
    profile: Profile,
    exceptions: Vec<Exception>,
    inline_suppressions: InlineSuppressions,
    on_error: OnError,
    limits: Limits,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("policy does not parse: {0}")]
    Syntax(String),
    #[error("policy version {0} is not supported (expected 1)")]
    Version(u32),
    #[error("unknown profile {0:?} (built in: default, strict, audit)")]
    UnknownProfile(String),
    #[error("{0}")]
    Invalid(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    version: u32,
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, RawProfile>,
    #[serde(default)]
    exceptions: Vec<RawException>,
    #[serde(default)]
    inline_suppressions: InlineSuppressions,
    #[serde(default)]
    on_error: OnError,
    #[serde(default)]
    limits: Limits,
}

impl Default for Policy {
    /// The `default` profile, no exceptions, default suppressions, fail-closed, default limits.
    fn default() -> Self {
        Policy::with_profile(Profile::default())
    }
}

impl Policy {
    pub fn with_profile(profile: Profile) -> Policy {
        Policy {
            profile,
            exceptions: Vec::new(),
            inline_suppressions: InlineSuppressions::default(),
            on_error: OnError::default(),
            limits: Limits::default(),
        }
    }

    /// Reads a policy file: JSON when it starts with `{`, YAML otherwise.
    pub fn parse(text: &str) -> Result<Policy, PolicyError> {
        let raw: RawPolicy = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| PolicyError::Syntax(e.to_string()))?
        } else {
            serde_saphyr::from_str(text)
                .map_err(|e| PolicyError::Syntax(e.without_snippet().to_string()))?
        };
        if raw.version != 1 {
            return Err(PolicyError::Version(raw.version));
        }
        let name = raw.profile.unwrap_or_else(|| "default".into());
        let profile = match raw.profiles.get(&name) {
            Some(defined) => {
                Profile::from_raw(&name, defined.clone()).map_err(PolicyError::Invalid)?
            }
            None => {
                Profile::builtin(&name).ok_or_else(|| PolicyError::UnknownProfile(name.clone()))?
            }
        };
        for (other, defined) in &raw.profiles {
            Profile::from_raw(other, defined.clone()).map_err(PolicyError::Invalid)?;
        }
        let exceptions = raw
            .exceptions
            .into_iter()
            .map(Exception::from_raw)
            .collect::<Result<Vec<_>, _>>()
            .map_err(PolicyError::Invalid)?;
        Ok(Policy {
            profile,
            exceptions,
            inline_suppressions: raw.inline_suppressions,
            on_error: raw.on_error,
            limits: raw.limits,
        })
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }
    pub fn exceptions(&self) -> &[Exception] {
        &self.exceptions
    }
    pub fn inline_suppressions(&self) -> &InlineSuppressions {
        &self.inline_suppressions
    }
    pub fn on_error(&self) -> OnError {
        self.on_error
    }
    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub fn with_limits(mut self, limits: Limits) -> Policy {
        self.limits = limits;
        self
    }
    pub fn with_on_error(mut self, on_error: OnError) -> Policy {
        self.on_error = on_error;
        self
    }
    pub fn with_exceptions(mut self, exceptions: Vec<Exception>) -> Policy {
        self.exceptions = exceptions;
        self
    }
    pub fn with_inline_suppressions(mut self, inline: InlineSuppressions) -> Policy {
        self.inline_suppressions = inline;
        self
    }

    /// Exact rule ids the policy names that the rule set does not have (probably typos).
    pub fn unknown_rule_ids(&self, rules: &RuleSet) -> Vec<String> {
        let exceptions = self.exceptions.iter().map(|e| &e.rule);
        let inline = self.inline_suppressions.never.iter();
        let mut unknown: Vec<String> =
            self.profile.unknown_ids(rules).map(str::to_string).collect();
        unknown.extend(
            exceptions
                .chain(inline)
                .filter_map(RuleSelector::exact_id)
                .filter(|id| rules.get(id).is_none())
                .map(str::to_string),
        );
        unknown.sort();
        unknown.dedup();
        unknown
    }
}
