//! Inline suppression comments: `palisade-ignore[<rule or selector>]: <reason>` on the line of a
//! finding or the line above it.
//!
//! A suppression must name what it suppresses and say why; one that does not suppresses nothing
//! and, when this change adds it, is itself reported. Whether a valid suppression is honoured is
//! the policy's decision, not this module's.

use std::collections::HashMap;

use memchr::memmem;

use super::{FileContext, RawFinding, adjusted_severity, visible_lines};
use crate::diff::FilePatch;
use crate::rules::{Detector, Rule, RuleSelector, RuleSet};
use crate::text::display_safe;

const MARKER: &str = "palisade-ignore";
/// Fewer letters than this is not a reason ("ok", "fp", "trust me").
const MIN_REASON_LETTERS: usize = 8;

/// One suppression comment as found in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InlineSuppression {
    pub line: u32,
    pub selector: Option<RuleSelector>,
    /// The justification, when there is one that counts.
    pub reason: Option<String>,
    /// The comment is on a line this change adds.
    pub added: bool,
    pub comment: String,
}

impl InlineSuppression {
    fn is_valid(&self) -> bool {
        self.selector.is_some() && self.reason.is_some()
    }
}

/// Every suppression comment among the file's visible new-side lines.
pub(super) fn find(file: &FilePatch<'_>) -> Vec<InlineSuppression> {
    let finder = memmem::Finder::new(MARKER);
    let mentioned =
        file.hunks.iter().flat_map(|hunk| &hunk.lines).any(|line| finder.find(line.text).is_some());
    if !mentioned {
        return Vec::new();
    }
    visible_lines(file)
        .into_iter()
        .filter_map(|line| {
            let at = finder.find(line.text)?;
            let rest = String::from_utf8_lossy(&line.text[at + MARKER.len()..]).into_owned();
            let (selector, reason) = parse_comment(&rest);
            let comment = display_safe(&String::from_utf8_lossy(&line.text[at..]), 200);
            Some(InlineSuppression {
                line: line.number,
                selector,
                reason,
                added: line.added,
                comment,
            })
        })
        .collect()
}

fn parse_comment(rest: &str) -> (Option<RuleSelector>, Option<String>) {
    let (selector, after) = match rest.strip_prefix('[').and_then(|inner| inner.split_once(']')) {
        Some((selector, after)) => (RuleSelector::parse(selector).ok(), after),
        None => (None, rest),
    };
    let reason = after.trim_start().strip_prefix(':').map(clean_reason).filter(|reason| {
        reason.chars().filter(|c| c.is_alphabetic()).count() >= MIN_REASON_LETTERS
    });
    (selector, reason)
}

/// The reason without the comment's closing delimiter.
fn clean_reason(text: &str) -> String {
    let mut reason = text.trim();
    for closer in ["*/", "-->", "#}", "%>", "\"\"\"", "'''", "--%>"] {
        reason = reason.strip_suffix(closer).unwrap_or(reason).trim_end();
    }
    display_safe(reason, 300)
}

/// The valid suppression that covers a finding of `rule` starting on `line`.
pub(super) fn covering<'s>(
    suppressions: &'s [InlineSuppression],
    line: u32,
    rule: &Rule,
) -> Option<&'s InlineSuppression> {
    suppressions.iter().find(|suppression| {
        let near = suppression.line == line || suppression.line.saturating_add(1) == line;
        let names_rule =
            suppression.selector.as_ref().is_some_and(|s| s.matches(&rule.id, rule.family));
        near && names_rule && suppression.is_valid()
    })
}

/// A finding for each suppression this change adds without a rule or a reason.
pub(super) fn report_unjustified(
    context: &FileContext<'_, '_>,
    rules: &RuleSet,
    detectors: &HashMap<Detector, Vec<usize>>,
    suppressions: &[InlineSuppression],
    out: &mut Vec<RawFinding>,
) {
    let Some(indices) = detectors.get(&Detector::SuppressionWithoutReason) else { return };
    for suppression in suppressions.iter().filter(|s| s.added && !s.is_valid()) {
        let detail = if suppression.selector.is_none() {
            "the suppression names no rule, so it suppresses nothing"
        } else {
            "the suppression gives no reason, so it suppresses nothing"
        };
        for &index in indices.iter().filter(|&&index| context.applicable[index]) {
            out.push(RawFinding {
                rule: index,
                path: Some(context.path.to_string()),
                start_line: Some(suppression.line),
                end_line: Some(suppression.line),
                diff_line: None,
                matched: suppression.comment.clone().into_bytes(),
                snippet: suppression.comment.clone(),
                detail: Some(detail.into()),
                severity: adjusted_severity(&rules.rules()[index], context.kinds),
                span: None,
                suppression: None,
                generic: false,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suppression_needs_a_rule_and_a_reason_of_real_words() {
        let (selector, reason) =
            parse_comment("[secrets.generic-credential]: local docker password, not deployed */");
        assert_eq!(
            selector.map(|s| s.as_str().to_string()),
            Some("secrets.generic-credential".into())
        );
        assert_eq!(reason.as_deref(), Some("local docker password, not deployed"));
        assert_eq!(parse_comment("[secrets.generic-credential]").1, None);
        assert_eq!(parse_comment("[secrets.generic-credential]: ok").1, None);
        assert_eq!(parse_comment(": a long enough reason but no rule").0, None);
    }
}
