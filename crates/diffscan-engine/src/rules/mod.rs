//! Rules as data: what a rule is (id, family, severity, confidence, texts, matcher, scope,
//! examples), the YAML pack format they are written in, the built-in pack, and the compiled
//! [`RuleSet`] the scanner runs.
//!
//! A rule is validated once, when its pack is parsed: its regexes compile, its globs parse, its
//! keywords exist. It must not scan anything itself; the `scan` module does.

mod builtin;
mod compile;
mod example;
mod id;
mod pack;
mod set;

pub use builtin::{builtin_packs, builtin_sources};
pub use example::{ChangeFilter, Example};
pub use id::{RuleId, RuleIdError, RuleSelector};
pub use pack::{PackError, PackIssue, RulePack, parse_pack};
pub use set::{RuleSet, RuleSetError};

use globset::GlobSet;
use regex::bytes::Regex;
use serde::{Deserialize, Serialize};

use crate::context::FileKinds;
use crate::diff::ProblemKind;

/// The families rules belong to; each answers a different question about a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Text that renders differently from what the compiler or model reads.
    HiddenText,
    /// Instructions aimed at AI reviewers and coding agents.
    PromptInjection,
    /// Tampering with CI/CD, ownership, registries and lockfile sources.
    CiCd,
    /// Running or fetching code, reverse shells, exfiltration, persistence.
    Execution,
    Secrets,
    /// Request input reaching SQL, shell or eval.
    InjectionSink,
    /// The diff itself is malformed or inconsistent.
    Integrity,
    /// Findings about the use of the policy (suppressions).
    Policy,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::HiddenText => "hidden-text",
            Family::PromptInjection => "prompt-injection",
            Family::CiCd => "ci-cd",
            Family::Execution => "execution",
            Family::Secrets => "secrets",
            Family::InjectionSink => "injection-sink",
            Family::Integrity => "integrity",
            Family::Policy => "policy",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    const ORDER: [Severity; 5] =
        [Severity::Info, Severity::Low, Severity::Medium, Severity::High, Severity::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Moves the severity up or down by `steps`, staying within info..=critical.
    pub fn shifted(self, steps: i8) -> Severity {
        let index =
            Self::ORDER.iter().position(|s| *s == self).unwrap_or(0) as i16 + i16::from(steps);
        Self::ORDER[index.clamp(0, 4) as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// One validated, compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub(crate) id: RuleId,
    pub(crate) family: Family,
    pub(crate) severity: Severity,
    pub(crate) confidence: Confidence,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) remediation: String,
    pub(crate) matcher: Matcher,
    pub(crate) scope: Scope,
    pub(crate) adjustments: Vec<Adjustment>,
    pub(crate) positive: Vec<Example>,
    pub(crate) negative: Vec<Example>,
    /// The pack it came from and the line its definition starts on.
    pub(crate) origin: String,
    pub(crate) line: usize,
}

impl Rule {
    pub fn id(&self) -> &RuleId {
        &self.id
    }
    pub fn family(&self) -> Family {
        self.family
    }
    pub fn severity(&self) -> Severity {
        self.severity
    }
    pub fn confidence(&self) -> Confidence {
        self.confidence
    }
    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn description(&self) -> &str {
        &self.description
    }
    pub fn remediation(&self) -> &str {
        &self.remediation
    }
    pub fn positive_examples(&self) -> &[Example] {
        &self.positive
    }
    pub fn negative_examples(&self) -> &[Example] {
        &self.negative
    }
    pub fn origin(&self) -> &str {
        &self.origin
    }
    pub fn line(&self) -> usize {
        self.line
    }
}

/// How a rule finds its matches.
#[derive(Debug, Clone)]
pub(crate) enum Matcher {
    /// A regex over added hunk blocks, run only where a keyword occurs.
    Content(Box<ContentMatcher>),
    /// The file's path and kind of change.
    File(Vec<ChangeFilter>),
    /// Built-in code: Unicode analysis, structural problems, suppressions.
    Detector(Detector),
}

#[derive(Debug, Clone)]
pub(crate) struct ContentMatcher {
    pub keywords: Vec<String>,
    pub pattern: Regex,
    /// Run over the whole added block rather than only the lines where keywords occur.
    pub multiline: bool,
    /// The named group holding the matched secret or value (the whole match when absent).
    pub capture: Option<String>,
    pub allow: Vec<Regex>,
    pub unless_line: Option<Regex>,
    pub requires_in_file: Option<Regex>,
    pub stopwords: Vec<String>,
    pub min_entropy: Option<f64>,
    /// Yields to any specific match it overlaps.
    pub generic: bool,
    pub skip_quoted_in: FileKinds,
    pub marked_fixtures_exempt: bool,
}

/// The built-in detectors a rule can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Detector {
    BidiUnpaired,
    InvisibleCharacter,
    BomMidFile,
    TagCharacters,
    VariationSelectorRun,
    MixedScriptIdentifier,
    ConfusableIdentifier,
    Problem(ProblemKind),
    SuppressionWithoutReason,
}

impl Detector {
    pub(crate) fn parse(name: &str) -> Option<Detector> {
        Some(match name {
            "bidi-unpaired" => Detector::BidiUnpaired,
            "invisible-character" => Detector::InvisibleCharacter,
            "bom-mid-file" => Detector::BomMidFile,
            "tag-characters" => Detector::TagCharacters,
            "variation-selector-run" => Detector::VariationSelectorRun,
            "mixed-script-identifier" => Detector::MixedScriptIdentifier,
            "confusable-identifier" => Detector::ConfusableIdentifier,
            "malformed-diff" => Detector::Problem(ProblemKind::Malformed),
            "hunk-count-mismatch" => Detector::Problem(ProblemKind::HunkCountMismatch),
            "unsafe-path" => Detector::Problem(ProblemKind::UnsafePath),
            "metadata-inconsistent" => Detector::Problem(ProblemKind::MetadataInconsistent),
            "line-too-long" => Detector::Problem(ProblemKind::LineTooLong),
            "symlink-escape" => Detector::Problem(ProblemKind::SymlinkEscape),
            "binary-content" => Detector::Problem(ProblemKind::BinaryContent),
            "suppression-without-reason" => Detector::SuppressionWithoutReason,
            _ => return None,
        })
    }
}

/// Where a rule applies: path globs and file kinds (empty means everywhere).
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    pub paths: Option<GlobSet>,
    pub exclude_paths: Option<GlobSet>,
    pub kinds: FileKinds,
    pub exclude_kinds: FileKinds,
}

impl Scope {
    pub(crate) fn applies(&self, path: &str, kinds: FileKinds) -> bool {
        let path_ok = self.paths.as_ref().is_none_or(|globs| globs.is_match(path));
        let excluded = self.exclude_paths.as_ref().is_some_and(|globs| globs.is_match(path));
        let kind_ok = self.kinds.is_empty() || self.kinds.intersects(kinds);
        path_ok && !excluded && kind_ok && !self.exclude_kinds.intersects(kinds)
    }
}

/// A severity shift where the file has one of `kinds` (agent instruction files weigh more).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Adjustment {
    pub kinds: FileKinds,
    pub shift: i8,
}
