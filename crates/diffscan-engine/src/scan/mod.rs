//! Running the rule set over a parsed diff: per file, its added blocks go through the keyword
//! prefilter and the candidate rules' regexes, the hidden-text detectors, and the file rules; the
//! diff's structural problems become integrity findings.
//!
//! It produces raw findings (rule, place, matched content, a display-safe snippet) and the inline
//! suppressions next to them. It must not decide what blocks; that is the policy's job.

mod blocks;
mod code_spans;
mod content;
mod hidden;
mod placement;
mod suppress;

use std::borrow::Cow;
use std::collections::HashMap;

use crate::context::{FileKinds, classify};
use crate::diff::{Diff, FilePatch, Problem, RepoPath};
use crate::rules::{Detector, Matcher, Rule, RuleSet, Severity};
use crate::text::display_safe;

pub(crate) use blocks::{AddedBlock, added_blocks, visible_lines};
pub(crate) use suppress::InlineSuppression;

/// A match before policy: which rule, where, what it matched.
#[derive(Debug, Clone)]
pub(crate) struct RawFinding {
    pub rule: usize,
    pub path: Option<String>,
    pub start_line: Option<u32>,
    pub end_line: Option<u32>,
    /// The line of the diff itself, for findings about the diff's structure.
    pub diff_line: Option<usize>,
    /// What the fingerprint hashes. It may be a secret: it is never shown or serialized.
    pub matched: Vec<u8>,
    /// Display-safe and, for secrets, redacted.
    pub snippet: String,
    pub detail: Option<String>,
    pub severity: Severity,
    /// Block index and byte range, for de-duplicating overlapping matches.
    pub span: Option<(usize, usize, usize)>,
    pub suppression: Option<InlineSuppression>,
    pub generic: bool,
}

/// What the scanners need to know about the file they are in.
pub(crate) struct FileContext<'f, 'a> {
    pub file: &'f FilePatch<'a>,
    pub path: &'f str,
    pub kinds: FileKinds,
    /// Per rule: enabled by the profile.
    pub enabled: &'f [bool],
    /// Per rule: enabled and in scope for this file.
    pub applicable: Vec<bool>,
    visible_text: std::cell::OnceCell<Vec<u8>>,
    test_module_start: std::cell::OnceCell<Option<u32>>,
}

impl FileContext<'_, '_> {
    /// The new-side text the diff shows (context and added lines), built on first use.
    pub fn visible_text(&self) -> &[u8] {
        self.visible_text.get_or_init(|| {
            let lines = visible_lines(self.file);
            let mut text = Vec::new();
            for line in lines {
                text.extend_from_slice(line.text);
                text.push(b'\n');
            }
            text
        })
    }
}

/// The severity a rule's match has in a file of these kinds.
pub(crate) fn adjusted_severity(rule: &Rule, kinds: FileKinds) -> Severity {
    let shift: i8 = rule
        .adjustments
        .iter()
        .filter(|adjustment| adjustment.kinds.intersects(kinds))
        .map(|adjustment| adjustment.shift)
        .sum();
    rule.severity.shifted(shift)
}

/// All raw findings of the diff, for the rules `enabled` marks.
pub(crate) fn detect(
    diff: &Diff<'_>,
    problems: &[Problem],
    rules: &RuleSet,
    enabled: &[bool],
) -> Vec<RawFinding> {
    let detectors = detector_rules(rules, enabled);
    let mut findings = Vec::new();
    for file in &diff.files {
        let normalized = normalized_path(file.display_path());
        let path = normalized.as_ref();
        let kinds = classify(path);
        let applicable = rules
            .rules()
            .iter()
            .zip(enabled)
            .map(|(rule, &on)| on && rule.scope.applies(path, kinds))
            .collect();
        let context = FileContext {
            file,
            path,
            kinds,
            enabled,
            applicable,
            visible_text: std::cell::OnceCell::new(),
            test_module_start: std::cell::OnceCell::new(),
        };
        scan_file(&context, rules, &detectors, &mut findings);
    }
    for problem in problems {
        problem_findings(problem, rules, &detectors, &mut findings);
    }
    findings
}

/// The path as rules see it: `./.github//workflows/x.yml` is `.github/workflows/x.yml`, so that
/// spelling a path oddly cannot move a file out of a rule's scope. An unsafe path stays as
/// written (the verifier reports it).
fn normalized_path(raw: &str) -> Cow<'_, str> {
    match RepoPath::parse(raw) {
        Ok(path) if path.as_str() != raw => Cow::Owned(path.as_str().to_string()),
        _ => Cow::Borrowed(raw),
    }
}

fn detector_rules(rules: &RuleSet, enabled: &[bool]) -> HashMap<Detector, Vec<usize>> {
    let mut map: HashMap<Detector, Vec<usize>> = HashMap::new();
    for (index, rule) in rules.rules().iter().enumerate() {
        if let (Matcher::Detector(detector), true) = (&rule.matcher, enabled[index]) {
            map.entry(*detector).or_default().push(index);
        }
    }
    map
}

fn scan_file(
    context: &FileContext<'_, '_>,
    rules: &RuleSet,
    detectors: &HashMap<Detector, Vec<usize>>,
    out: &mut Vec<RawFinding>,
) {
    let first = out.len();
    let suppressions = suppress::find(context.file);
    for (index, block) in added_blocks(context.file).iter().enumerate() {
        content::scan_block(context, rules, index, block, out);
        if !block.text.is_ascii() {
            hidden::scan_block(context, rules, detectors, block, out);
        }
    }
    content::drop_generic_overlaps(out, first);
    file_rule_findings(context, rules, out);
    suppress::report_unjustified(context, rules, detectors, &suppressions, out);
    for finding in &mut out[first..] {
        let rule = &rules.rules()[finding.rule];
        finding.suppression = finding
            .start_line
            .and_then(|line| suppress::covering(&suppressions, line, rule))
            .cloned();
    }
}

fn file_rule_findings(context: &FileContext<'_, '_>, rules: &RuleSet, out: &mut Vec<RawFinding>) {
    let file = context.file;
    let old_path = file.old_path.as_deref().map_or(Cow::Borrowed(context.path), normalized_path);
    let old_path = old_path.as_ref();
    for (index, rule) in rules.rules().iter().enumerate() {
        let Matcher::File(changes) = &rule.matcher else { continue };
        let in_scope = context.applicable[index]
            || (context.enabled[index] && rule.scope.applies(old_path, classify(old_path)));
        if !in_scope || !changes.iter().any(|change| change.matches(file)) {
            continue;
        }
        let change = file.change().as_str();
        out.push(RawFinding {
            rule: index,
            path: Some(context.path.to_string()),
            start_line: None,
            end_line: None,
            diff_line: Some(file.start_line),
            matched: format!("{change}:{old_path}").into_bytes(),
            snippet: display_safe(&format!("{change}: {}", context.path), 200),
            detail: None,
            severity: adjusted_severity(rule, context.kinds),
            span: None,
            suppression: None,
            generic: false,
        });
    }
}

fn problem_findings(
    problem: &Problem,
    rules: &RuleSet,
    detectors: &HashMap<Detector, Vec<usize>>,
    out: &mut Vec<RawFinding>,
) {
    let Some(indices) = detectors.get(&Detector::Problem(problem.kind)) else { return };
    for &index in indices {
        let rule = &rules.rules()[index];
        let kinds = problem.path.as_deref().map(classify).unwrap_or_default();
        if problem.path.as_deref().is_some_and(|path| !rule.scope.applies(path, kinds)) {
            continue;
        }
        let message = display_safe(&problem.message, 300);
        out.push(RawFinding {
            rule: index,
            path: problem.path.clone().filter(|path| !path.is_empty()),
            start_line: None,
            end_line: None,
            diff_line: Some(problem.line),
            matched: problem.message.as_bytes().to_vec(),
            snippet: message.clone(),
            detail: Some(message),
            severity: adjusted_severity(rule, kinds),
            span: None,
            suppression: None,
            generic: false,
        });
    }
}
