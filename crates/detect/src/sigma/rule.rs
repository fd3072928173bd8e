//! One Sigma detection rule, parsed and compiled by rsigma, with what Palisade reads from it: id,
//! title, level as a [`Severity`], ATT&CK techniques and tactics from its tags, and its
//! logsource. A rule that does not parse or compile is refused with the parser's message and the
//! line it concerns: YAML syntax errors carry their position (read straight from the YAML parser
//! rsigma uses); rsigma's semantic errors name what is wrong (a modifier, a field, a detection)
//! but not where, so the offending text is searched for in the rule, and a position that cannot
//! be found is left out rather than guessed. It does not evaluate anything; see `engine` and
//! `testing`.

use crate::catalog::{AttackCatalog, TechniqueId};
use crate::model::Severity;
use crate::sigma::base64offset;
use crate::sigma::event::SigmaEvent;
use crate::sigma::exception::SigmaException;
use rsigma_eval::CompiledRule;
use rsigma_parser::{Level, LogSource};
use serde::Deserialize;
use std::fmt;

/// Why a rule was refused: the parser's (or compiler's) message, and where, when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RuleError {
    pub message: String,
    /// 1-based line in the rule's YAML.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "line {line}, column {column}: {}", self.message)
            }
            (Some(line), None) => write!(f, "line {line}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

#[derive(Clone, Debug)]
pub struct SigmaRule {
    pub(crate) parsed: rsigma_parser::SigmaRule,
    pub(crate) compiled: CompiledRule,
    warnings: Vec<String>,
    exceptions: Vec<SigmaException>,
    /// Read from the tags once, at parse: every match carries them.
    techniques: Vec<TechniqueId>,
    tactics: Vec<String>,
}

impl SigmaRule {
    /// Parses one detection rule (one YAML document, or a `action: global` collection yielding
    /// exactly one rule) and compiles it.
    pub fn parse(yaml: &str) -> Result<SigmaRule, RuleError> {
        check_yaml_syntax(yaml)?;
        let collection =
            rsigma_parser::parse_sigma_yaml(yaml).map_err(|e| refusal(yaml, &e.to_string()))?;
        if !collection.correlations.is_empty() || !collection.filters.is_empty() {
            let message = "correlation and filter rules are not supported; give a detection rule";
            return Err(RuleError { message: message.into(), line: None, column: None });
        }
        let mut rules = collection.rules;
        let parsed = match (rules.pop(), rules.is_empty()) {
            (Some(rule), true) => rule,
            (Some(_), false) => {
                let message = "the file holds several rules; give one rule per file";
                return Err(RuleError { message: message.into(), line: None, column: None });
            }
            (None, _) => {
                let message =
                    collection.errors.first().cloned().unwrap_or_else(|| "no rule found".into());
                return Err(refusal(yaml, &message));
            }
        };
        let mut parsed = parsed;
        base64offset::rewrite(&mut parsed);
        let compiled =
            rsigma_eval::compile_rule(&parsed).map_err(|e| refusal(yaml, &e.to_string()))?;
        // With the rule parsed, what the parser collected are warnings (a bad `related` entry, an
        // unknown status), not reasons to refuse it.
        Ok(SigmaRule {
            techniques: techniques(&parsed.tags),
            tactics: tactics(&parsed.tags),
            parsed,
            compiled,
            warnings: collection.errors,
            exceptions: Vec::new(),
        })
    }

    /// The rule with `exceptions`: events any of them covers never match it.
    pub fn with_exceptions(mut self, exceptions: Vec<SigmaException>) -> SigmaRule {
        self.exceptions = exceptions;
        self
    }

    pub fn exceptions(&self) -> &[SigmaException] {
        &self.exceptions
    }

    /// The position of the first exception covering `event`, if one does.
    pub fn exception_covering(&self, event: &SigmaEvent<'_>) -> Option<usize> {
        self.exceptions.iter().position(|exception| exception.covers(event))
    }

    pub fn description(&self) -> Option<&str> {
        self.parsed.description.as_deref()
    }

    pub fn id(&self) -> Option<&str> {
        self.parsed.id.as_deref()
    }

    pub fn title(&self) -> &str {
        &self.parsed.title
    }

    pub fn level(&self) -> Severity {
        severity_of(self.parsed.level.as_ref())
    }

    pub fn logsource(&self) -> &LogSource {
        &self.parsed.logsource
    }

    pub fn tags(&self) -> &[String] {
        &self.parsed.tags
    }

    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The names of the rule's detections (selections and filters).
    pub fn selections(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.compiled.detections.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    /// Technique ids from `attack.tNNNN[.NNN]` tags.
    pub fn techniques(&self) -> &[TechniqueId] {
        &self.techniques
    }

    /// Tactic shortnames from `attack.<tactic>` tags (`attack.defense-evasion`).
    pub fn tactics(&self) -> &[String] {
        &self.tactics
    }
}

fn techniques(tags: &[String]) -> Vec<TechniqueId> {
    tags.iter().filter_map(|t| TechniqueId::parse(t).ok()).collect()
}

fn tactics(tags: &[String]) -> Vec<String> {
    let catalog = AttackCatalog::embedded();
    tags.iter()
        .filter(|t| t.starts_with("attack.") && TechniqueId::parse(t).is_err())
        .filter_map(|t| catalog.tactic(t).map(|tactic| tactic.shortname.clone()))
        .collect()
}

pub(crate) fn severity_of(level: Option<&Level>) -> Severity {
    match level {
        Some(Level::Informational) => Severity::Informational,
        Some(Level::Low) => Severity::Low,
        Some(Level::Medium) => Severity::Medium,
        Some(Level::High) => Severity::High,
        Some(Level::Critical) => Severity::Critical,
        None => Severity::Unknown,
    }
}

// Locating errors in the rule text.

fn check_yaml_syntax(yaml: &str) -> Result<(), RuleError> {
    for document in yaml_serde::Deserializer::from_str(yaml) {
        if let Err(error) = yaml_serde::Value::deserialize(document) {
            let location = error.location();
            return Err(RuleError {
                message: format!("YAML syntax error: {error}"),
                line: location.as_ref().map(yaml_serde::Location::line),
                column: location.as_ref().map(yaml_serde::Location::column),
            });
        }
    }
    Ok(())
}

/// Wraps a parser or compiler message with the line it points at.
fn refusal(yaml: &str, message: &str) -> RuleError {
    RuleError { message: message.to_string(), line: line_of(yaml, message), column: None }
}

fn line_of(yaml: &str, message: &str) -> Option<usize> {
    if message.contains("Condition parse error") || message.contains("unknown detection") {
        return find_key(yaml, "condition");
    }
    if let Some(modifier) = quoted(message).next().filter(|_| message.contains("modifier")) {
        return find(yaml, &format!("|{modifier}"));
    }
    if message.contains("regex") {
        return find(yaml, "|re");
    }
    if message.contains("CIDR") {
        return find(yaml, "|cidr");
    }
    if let Some(field) = quoted(message).next().filter(|_| message.contains("Missing required")) {
        return find_key(yaml, &field).or(Some(1));
    }
    quoted(message).find_map(|fragment| find(yaml, &fragment))
}

/// Texts between quotes in a message: 'x', `x` or "x".
fn quoted(message: &str) -> impl Iterator<Item = String> + '_ {
    ['\'', '`', '"'].into_iter().flat_map(move |quote| {
        message.split(quote).skip(1).step_by(2).filter(|s| !s.is_empty()).map(String::from)
    })
}

fn find(yaml: &str, needle: &str) -> Option<usize> {
    yaml.lines().position(|line| line.contains(needle)).map(|index| index + 1)
}

fn find_key(yaml: &str, key: &str) -> Option<usize> {
    let prefix = format!("{key}:");
    yaml.lines().position(|line| line.trim_start().starts_with(&prefix)).map(|index| index + 1)
}
