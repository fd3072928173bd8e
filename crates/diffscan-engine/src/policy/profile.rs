//! Profiles: which rules run, which severity blocks, how confident a finding must be to block,
//! and per-rule severity overrides. Three are built in: `default` (blocks high and critical),
//! `strict` (blocks medium and up, any confidence) and `audit` (reports, never blocks).
//!
//! A profile only selects and grades; it must not know where findings are or who accepted them.

use serde::{Deserialize, Serialize};

use crate::rules::{Confidence, Rule, RuleSelector, RuleSet, Severity};

/// The least severity that blocks, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BlockAt {
    Severity(Severity),
    Never(Never),
}

/// The word `never`, as a `block_at` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Never {
    Never,
}

impl BlockAt {
    pub fn blocks(self, severity: Severity) -> bool {
        match self {
            BlockAt::Severity(threshold) => severity >= threshold,
            BlockAt::Never(_) => false,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BlockAt::Severity(severity) => severity.as_str(),
            BlockAt::Never(_) => "never",
        }
    }
}

/// A resolved profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub(crate) name: String,
    pub(crate) include: Vec<RuleSelector>,
    pub(crate) exclude: Vec<RuleSelector>,
    pub(crate) block_at: BlockAt,
    pub(crate) min_confidence: Confidence,
    pub(crate) severity_overrides: Vec<(RuleSelector, Severity)>,
}

/// A profile as a policy file writes it; absent fields come from `extends`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProfile {
    pub extends: Option<String>,
    pub include: Option<Vec<RuleSelector>>,
    pub exclude: Option<Vec<RuleSelector>>,
    pub block_at: Option<BlockAt>,
    pub min_confidence: Option<Confidence>,
    #[serde(default)]
    pub severity_overrides: std::collections::BTreeMap<String, Severity>,
}

pub const BUILTIN_PROFILES: [&str; 3] = ["default", "strict", "audit"];

impl Default for Profile {
    /// The `default` profile: every rule, blocking high and critical findings of at least
    /// medium confidence.
    fn default() -> Self {
        Profile::all_rules("default", BlockAt::Severity(Severity::High), Confidence::Medium)
    }
}

impl Profile {
    /// One of [`BUILTIN_PROFILES`].
    pub fn builtin(name: &str) -> Option<Profile> {
        let (block_at, min_confidence) = match name {
            "default" => (BlockAt::Severity(Severity::High), Confidence::Medium),
            "strict" => (BlockAt::Severity(Severity::Medium), Confidence::Low),
            "audit" => (BlockAt::Never(Never::Never), Confidence::High),
            _ => return None,
        };
        Some(Profile::all_rules(name, block_at, min_confidence))
    }

    fn all_rules(name: &str, block_at: BlockAt, min_confidence: Confidence) -> Profile {
        Profile {
            name: name.to_string(),
            include: Vec::new(),
            exclude: Vec::new(),
            block_at,
            min_confidence,
            severity_overrides: Vec::new(),
        }
    }

    pub(crate) fn from_raw(name: &str, raw: RawProfile) -> Result<Profile, String> {
        let base_name = raw.extends.as_deref().unwrap_or("default");
        let mut profile = Profile::builtin(base_name).ok_or_else(|| {
            format!("profile {name:?} extends {base_name:?}, which is not a built-in profile")
        })?;
        profile.name = name.to_string();
        if let Some(include) = raw.include {
            profile.include = include;
        }
        if let Some(exclude) = raw.exclude {
            profile.exclude = exclude;
        }
        profile.block_at = raw.block_at.unwrap_or(profile.block_at);
        profile.min_confidence = raw.min_confidence.unwrap_or(profile.min_confidence);
        for (selector, severity) in raw.severity_overrides {
            let selector = RuleSelector::parse(&selector).map_err(|e| e.to_string())?;
            profile.severity_overrides.push((selector, severity));
        }
        Ok(profile)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn block_at(&self) -> BlockAt {
        self.block_at
    }

    pub fn min_confidence(&self) -> Confidence {
        self.min_confidence
    }

    pub fn includes(&self, rule: &Rule) -> bool {
        let selected =
            |selectors: &[RuleSelector]| selectors.iter().any(|s| s.matches(&rule.id, rule.family));
        (self.include.is_empty() || selected(&self.include)) && !selected(&self.exclude)
    }

    /// Per rule of the set: whether this profile runs it.
    pub fn enabled_mask(&self, rules: &RuleSet) -> Vec<bool> {
        rules.rules().iter().map(|rule| self.includes(rule)).collect()
    }

    /// The severity the profile gives a finding of `rule` that matched at `found`.
    pub fn severity_for(&self, rule: &Rule, found: Severity) -> Severity {
        self.severity_overrides
            .iter()
            .rev()
            .find(|(selector, _)| selector.matches(&rule.id, rule.family))
            .map_or(found, |(_, severity)| *severity)
    }

    pub fn blocks(&self, severity: Severity, confidence: Confidence) -> bool {
        self.block_at.blocks(severity) && confidence >= self.min_confidence
    }

    /// Selectors that name an exact rule id the set does not have (probably a typo).
    pub(crate) fn unknown_ids<'p>(&'p self, rules: &RuleSet) -> impl Iterator<Item = &'p str> {
        let overrides = self.severity_overrides.iter().map(|(selector, _)| selector);
        self.include
            .iter()
            .chain(&self.exclude)
            .chain(overrides)
            .filter_map(RuleSelector::exact_id)
            .filter(move |id| rules.get(id).is_none())
    }
}
