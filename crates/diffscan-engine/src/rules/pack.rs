//! The YAML rule-pack format (the built-in pack and tenant packs share it) and its validation.
//!
//! [`parse_pack`] reads a pack, compiles every regex and glob, checks every field, and reports
//! all problems at once with the line of the rule they belong to. A pack that parses is safe to
//! run: sizes are bounded and regexes are linear-time. It must not run the examples (the engine
//! does, see `Engine::example_failures`).

use std::fmt;

use serde::Deserialize;
use serde_saphyr::Spanned;
use sha2::{Digest, Sha256};

use super::compile::{compile_globs, compile_regex, keyword_list};
use super::example::{ChangeFilter, DEFAULT_EXAMPLE_PATH, Example};
use super::{
    Adjustment, Confidence, ContentMatcher, Detector, Family, Matcher, Rule, RuleId, Scope,
    Severity,
};
use crate::context::{FileKind, FileKinds};

const MAX_PACK_BYTES: usize = 2 << 20;
const MAX_RULES: usize = 2_000;

/// A validated pack of rules.
#[derive(Debug, Clone)]
pub struct RulePack {
    name: String,
    version: u32,
    description: String,
    digest: String,
    rules: Vec<Rule>,
}

impl RulePack {
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn version(&self) -> u32 {
        self.version
    }
    pub fn description(&self) -> &str {
        &self.description
    }
    /// Hex SHA-256 of the pack's source text.
    pub fn digest(&self) -> &str {
        &self.digest
    }
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
    pub(crate) fn into_rules(self) -> Vec<Rule> {
        self.rules
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PackError {
    #[error("{origin}: the pack is {bytes} bytes, over the {limit}-byte limit")]
    TooLarge { origin: String, bytes: usize, limit: usize },
    #[error("{origin}:{line}:{column}: {message}")]
    Syntax { origin: String, line: usize, column: usize, message: String },
    #[error("{origin}: {}", issues.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid { origin: String, issues: Vec<PackIssue> },
}

impl PackError {
    /// Every problem with its line, whatever kind of error this is.
    pub fn issues(&self) -> Vec<PackIssue> {
        match self {
            PackError::TooLarge { .. } => {
                vec![PackIssue { line: 1, rule: None, message: self.to_string() }]
            }
            PackError::Syntax { line, message, .. } => {
                vec![PackIssue { line: *line, rule: None, message: message.clone() }]
            }
            PackError::Invalid { issues, .. } => issues.clone(),
        }
    }
}

/// One problem in a pack: the line it is on and, when known, the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackIssue {
    pub line: usize,
    pub rule: Option<String>,
    pub message: String,
}

impl fmt::Display for PackIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            Some(rule) => write!(f, "line {} (rule {rule}): {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    name: String,
    version: u32,
    #[serde(default)]
    description: String,
    rules: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    family: Family,
    severity: Severity,
    confidence: Confidence,
    title: String,
    description: String,
    remediation: String,
    pattern: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    multiline: bool,
    capture: Option<String>,
    #[serde(default)]
    allow: Vec<String>,
    unless_line: Option<String>,
    requires_in_file: Option<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    min_entropy: Option<f64>,
    #[serde(default)]
    generic: bool,
    #[serde(default)]
    skip_quoted_in: Vec<FileKind>,
    #[serde(default)]
    marked_fixtures_exempt: bool,
    detector: Option<String>,
    change: Option<Vec<ChangeFilter>>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    exclude_paths: Vec<String>,
    #[serde(default)]
    kinds: Vec<FileKind>,
    #[serde(default)]
    exclude_kinds: Vec<FileKind>,
    #[serde(default)]
    adjust: Vec<RawAdjust>,
    examples: RawExamples,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdjust {
    kinds: Vec<FileKind>,
    shift: i8,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExamples {
    #[serde(default)]
    positive: Vec<RawExample>,
    #[serde(default)]
    negative: Vec<RawExample>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawExample {
    Text(String),
    Full(RawExampleFields),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExampleFields {
    path: Option<String>,
    text: Option<String>,
    change: Option<ChangeFilter>,
    old_path: Option<String>,
    diff: Option<String>,
}

/// Parses and validates a pack; `origin` names it in errors (a file name, a tenant pack id).
pub fn parse_pack(source: &str, origin: &str) -> Result<RulePack, PackError> {
    if source.len() > MAX_PACK_BYTES {
        let (origin, bytes, limit) = (origin.to_string(), source.len(), MAX_PACK_BYTES);
        return Err(PackError::TooLarge { origin, bytes, limit });
    }
    let raw: RawPack = serde_saphyr::from_str(source).map_err(|error| {
        let location = error.location();
        PackError::Syntax {
            origin: origin.to_string(),
            line: location.map_or(1, |l| usize::try_from(l.line()).unwrap_or(usize::MAX)),
            column: location.map_or(1, |l| usize::try_from(l.column()).unwrap_or(usize::MAX)),
            message: error.without_snippet().to_string(),
        }
    })?;
    let mut issues = Vec::new();
    if raw.rules.len() > MAX_RULES {
        issues.push(PackIssue {
            line: 1,
            rule: None,
            message: format!("more than {MAX_RULES} rules"),
        });
    }
    let mut rules: Vec<Rule> = Vec::with_capacity(raw.rules.len());
    for spanned in raw.rules {
        let line = usize::try_from(spanned.referenced.line()).unwrap_or(0);
        let id = spanned.value.id.clone();
        match build_rule(spanned.value, origin, line) {
            Ok(rule) if rules.iter().any(|other| other.id == rule.id) => {
                issues.push(PackIssue {
                    line,
                    rule: Some(id),
                    message: "duplicate rule id".into(),
                });
            }
            Ok(rule) => rules.push(rule),
            Err(problems) => issues.extend(problems.into_iter().map(|message| PackIssue {
                line,
                rule: Some(id.clone()),
                message,
            })),
        }
    }
    if !issues.is_empty() {
        return Err(PackError::Invalid { origin: origin.to_string(), issues });
    }
    let digest = hex::encode(Sha256::digest(source.as_bytes()));
    Ok(RulePack {
        name: raw.name,
        version: raw.version,
        description: raw.description,
        digest,
        rules,
    })
}

fn build_rule(raw: RawRule, origin: &str, line: usize) -> Result<Rule, Vec<String>> {
    let mut problems = Vec::new();
    let id = RuleId::parse(&raw.id).map_err(|e| problems.push(e.to_string())).ok();
    for (field, text) in [
        ("title", &raw.title),
        ("description", &raw.description),
        ("remediation", &raw.remediation),
    ] {
        if text.trim().is_empty() || text.len() > 4_000 {
            problems.push(format!("`{field}` must be 1 to 4000 characters"));
        }
    }
    let matcher = build_matcher(&raw, &mut problems);
    let scope = build_scope(&raw, &mut problems);
    let adjustments = raw
        .adjust
        .iter()
        .map(|adjust| {
            if !(-4..=4).contains(&adjust.shift) {
                problems.push("`adjust.shift` must be within -4..=4".into());
            }
            Adjustment { kinds: FileKinds::of(&adjust.kinds), shift: adjust.shift }
        })
        .collect();
    let positive: Vec<Example> = raw.examples.positive.into_iter().map(example).collect();
    let negative: Vec<Example> = raw.examples.negative.into_iter().map(example).collect();
    if positive.is_empty() || negative.is_empty() {
        problems.push("a rule needs at least one positive and one negative example".into());
    }
    match (id, matcher) {
        (Some(id), Some(matcher)) if problems.is_empty() => Ok(Rule {
            id,
            family: raw.family,
            severity: raw.severity,
            confidence: raw.confidence,
            title: raw.title,
            description: raw.description,
            remediation: raw.remediation,
            matcher,
            scope,
            adjustments,
            positive,
            negative,
            origin: origin.to_string(),
            line,
        }),
        _ => Err(problems),
    }
}

fn build_matcher(raw: &RawRule, problems: &mut Vec<String>) -> Option<Matcher> {
    let ways = [raw.pattern.is_some(), raw.detector.is_some(), raw.change.is_some()];
    if ways.iter().filter(|way| **way).count() != 1 {
        problems.push("a rule needs exactly one of `pattern`, `detector` or `change`".into());
        return None;
    }
    if let Some(name) = &raw.detector {
        if !raw.keywords.is_empty() {
            problems.push("detector rules take no `keywords`".into());
        }
        let detector = Detector::parse(name);
        if detector.is_none() {
            problems.push(format!("unknown detector {name:?}"));
        }
        return detector.map(Matcher::Detector);
    }
    if let Some(changes) = &raw.change {
        if raw.paths.is_empty() {
            problems.push("a `change` rule needs `paths`".into());
        }
        return Some(Matcher::File(changes.clone()));
    }
    let pattern = raw.pattern.as_deref().unwrap_or_default();
    content_matcher(raw, pattern, problems).map(|content| Matcher::Content(Box::new(content)))
}

fn content_matcher(
    raw: &RawRule,
    pattern: &str,
    problems: &mut Vec<String>,
) -> Option<ContentMatcher> {
    let mut regex = |text: &str, field: &str| {
        compile_regex(text)
            .map_err(|e| problems.push(format!("`{field}` does not compile: {e}")))
            .ok()
    };
    let compiled = regex(pattern, "pattern");
    let allow: Vec<_> = raw.allow.iter().filter_map(|text| regex(text, "allow")).collect();
    let unless_line = raw.unless_line.as_deref().and_then(|text| regex(text, "unless_line"));
    let requires_in_file =
        raw.requires_in_file.as_deref().and_then(|text| regex(text, "requires_in_file"));
    let keywords = keyword_list(&raw.keywords).map_err(|e| problems.push(e)).ok();
    if let (Some(capture), Some(compiled)) = (&raw.capture, &compiled)
        && !compiled.capture_names().flatten().any(|name| name == capture)
    {
        problems.push(format!("`capture` names no group {capture:?} of the pattern"));
    }
    if raw.min_entropy.is_some_and(|bits| !(0.0..=8.0).contains(&bits)) {
        problems.push("`min_entropy` must be within 0..=8 bits".into());
    }
    Some(ContentMatcher {
        keywords: keywords?,
        pattern: compiled?,
        multiline: raw.multiline,
        capture: raw.capture.clone(),
        allow,
        unless_line,
        requires_in_file,
        stopwords: raw.stopwords.iter().map(|word| word.to_ascii_lowercase()).collect(),
        min_entropy: raw.min_entropy,
        generic: raw.generic,
        skip_quoted_in: FileKinds::of(&raw.skip_quoted_in),
        marked_fixtures_exempt: raw.marked_fixtures_exempt,
    })
}

fn build_scope(raw: &RawRule, problems: &mut Vec<String>) -> Scope {
    let mut globs = |list: &[String], field: &str| {
        compile_globs(list).map_err(|e| problems.push(format!("`{field}`: {e}"))).ok().flatten()
    };
    Scope {
        paths: globs(&raw.paths, "paths"),
        exclude_paths: globs(&raw.exclude_paths, "exclude_paths"),
        kinds: FileKinds::of(&raw.kinds),
        exclude_kinds: FileKinds::of(&raw.exclude_kinds),
    }
}

fn example(raw: RawExample) -> Example {
    match raw {
        RawExample::Text(text) => Example {
            path: DEFAULT_EXAMPLE_PATH.into(),
            text: Some(text),
            change: ChangeFilter::Added,
            old_path: None,
            diff: None,
        },
        RawExample::Full(fields) => {
            let default_change =
                if fields.text.is_some() { ChangeFilter::Added } else { ChangeFilter::Modified };
            Example {
                path: fields.path.unwrap_or_else(|| DEFAULT_EXAMPLE_PATH.into()),
                change: fields.change.unwrap_or(default_change),
                text: fields.text,
                old_path: fields.old_path,
                diff: fields.diff,
            }
        }
    }
}
