//! Content rules over added blocks: the keyword prefilter picks candidate (rule, line) pairs, only
//! those regexes run, and each match must pass the rule's gates (allowlist, stopwords, entropy,
//! quoting in docs, marked test fixtures, required file context) to become a finding.
//!
//! It must never put a matched secret into a snippet: secrets are redacted here, at the source.

use memchr::memmem;

use super::{AddedBlock, FileContext, RawFinding, adjusted_severity};
use crate::context::FileKind;
use crate::rules::{ContentMatcher, Family, Matcher, RuleSet};
use crate::text::{display_safe, shannon_entropy};

/// Marks a candidate that runs over the whole block (multi-line rules).
const WHOLE_BLOCK: usize = usize::MAX;

/// Byte ranges of a match in its block: the whole match and the part that is the secret/value.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    value_start: usize,
    value_end: usize,
}

pub(super) fn scan_block(
    context: &FileContext<'_, '_>,
    rules: &RuleSet,
    block_index: usize,
    block: &AddedBlock,
    out: &mut Vec<RawFinding>,
) {
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    rules.keyword_hits(&block.text, |rule, offset| {
        if context.applicable[rule] {
            candidates.push((rule, offset));
        }
    });
    if candidates.is_empty() {
        return;
    }
    for candidate in &mut candidates {
        let multiline =
            matches!(&rules.rules()[candidate.0].matcher, Matcher::Content(c) if c.multiline);
        candidate.1 = if multiline { WHOLE_BLOCK } else { block.line_index(candidate.1) };
    }
    candidates.sort_unstable();
    candidates.dedup();
    for (rule_index, line) in candidates {
        let Matcher::Content(content) = &rules.rules()[rule_index].matcher else { continue };
        let (haystack, base) = if line == WHOLE_BLOCK {
            (&block.text[..], 0)
        } else {
            (block.line(line), block.line_start(line))
        };
        for captures in content.pattern.captures_iter(haystack) {
            let Some(whole) = captures.get(0) else { continue };
            let value =
                content.capture.as_deref().and_then(|name| captures.name(name)).unwrap_or(whole);
            let span = Span {
                start: base + whole.start(),
                end: base + whole.end(),
                value_start: base + value.start(),
                value_end: base + value.end(),
            };
            if accepted(context, content, block, span) {
                out.push(finding(context, rules, rule_index, block_index, block, span));
            }
        }
    }
}

fn accepted(
    context: &FileContext<'_, '_>,
    content: &ContentMatcher,
    block: &AddedBlock,
    span: Span,
) -> bool {
    let value = &block.text[span.value_start..span.value_end];
    if value.is_empty() || content.allow.iter().any(|allow| allow.is_match(value)) {
        return false;
    }
    if !content.stopwords.is_empty() {
        let lower = value.to_ascii_lowercase();
        if content.stopwords.iter().any(|word| memmem::find(&lower, word.as_bytes()).is_some()) {
            return false;
        }
    }
    if content.min_entropy.is_some_and(|min| shannon_entropy(value) < min) {
        return false;
    }
    let first = block.line_index(span.start);
    let last = block.line_index(span.end.saturating_sub(1).max(span.start));
    if content.unless_line.as_ref().is_some_and(|unless| unless.is_match(block.line(first))) {
        return false;
    }
    if content.skip_quoted_in.intersects(context.kinds) && quoted_or_fenced(block, first, span) {
        return false;
    }
    let fixture = content.marked_fixtures_exempt && context.kinds.contains(FileKind::Test);
    if fixture && marked_as_fake(context.path, block, first, last) {
        return false;
    }
    content
        .requires_in_file
        .as_ref()
        .is_none_or(|required| required.is_match(context.visible_text()))
}

/// Inside a quotation or a fenced code block on the same line: the text mentions the phrase
/// rather than uses it (a security document describing an attack).
fn quoted_or_fenced(block: &AddedBlock, line_index: usize, span: Span) -> bool {
    let fences = (0..line_index)
        .filter(|&index| {
            let line = block.line(index).trim_ascii_start();
            line.starts_with(b"```") || line.starts_with(b"~~~")
        })
        .count();
    if fences % 2 == 1 {
        return true;
    }
    let line = block.line(line_index);
    let line_start = block.line_start(line_index);
    let start = span.start.saturating_sub(line_start).min(line.len());
    let end = span.end.saturating_sub(line_start).min(line.len());
    let (before, after) = (&line[..start], &line[end..]);
    let symmetric = |quote: u8| {
        before.iter().filter(|&&b| b == quote).count() % 2 == 1 && after.contains(&quote)
    };
    let paired = |open: &str, close: &str| {
        let opened = memmem::rfind(before, open.as_bytes());
        let closed = memmem::rfind(before, close.as_bytes());
        opened > closed && memmem::find(after, close.as_bytes()).is_some()
    };
    let single = before.iter().rposition(|&b| b == b'\'').is_some_and(|at| {
        (at == 0 || !before[at - 1].is_ascii_alphanumeric()) && after.contains(&b'\'')
    });
    symmetric(b'"')
        || symmetric(b'`')
        || single
        || paired("“", "”")
        || paired("‘", "’")
        || paired("«", "»")
}

const FAKE_PATH_MARKERS: [&str; 5] = ["fake", "dummy", "example", "sample", "mock"];
const FAKE_TEXT_MARKERS: [&str; 11] = [
    "fake",
    "dummy",
    "not a real",
    "not-a-real",
    "test only",
    "test-only",
    "testing only",
    "for tests",
    "for testing",
    "do not use",
    "example key",
];

/// A test fixture that says it is fake, in its path or within three lines of the match.
fn marked_as_fake(path: &str, block: &AddedBlock, first: usize, last: usize) -> bool {
    let path = path.to_ascii_lowercase();
    if FAKE_PATH_MARKERS.iter().any(|marker| path.contains(marker)) {
        return true;
    }
    let from = first.saturating_sub(3);
    let to = (last + 3).min(block.line_count().saturating_sub(1));
    (from..=to).any(|index| {
        let lower = block.line(index).to_ascii_lowercase();
        FAKE_TEXT_MARKERS.iter().any(|marker| memmem::find(&lower, marker.as_bytes()).is_some())
    })
}

fn finding(
    context: &FileContext<'_, '_>,
    rules: &RuleSet,
    rule_index: usize,
    block_index: usize,
    block: &AddedBlock,
    span: Span,
) -> RawFinding {
    let rule = &rules.rules()[rule_index];
    let first = block.line_index(span.start);
    let last = block.line_index(span.end.saturating_sub(1).max(span.start));
    let generic = matches!(&rule.matcher, Matcher::Content(content) if content.generic);
    RawFinding {
        rule: rule_index,
        path: Some(context.path.to_string()),
        start_line: Some(block.line_number(first)),
        end_line: Some(block.line_number(last)),
        diff_line: None,
        matched: normalized(&block.text[span.value_start..span.value_end]),
        snippet: snippet(block, first, span, rule.family == Family::Secrets),
        detail: None,
        severity: adjusted_severity(
            rule,
            context.kinds_at(block.line_number(first), block.line(first)),
        ),
        span: Some((block_index, span.start, span.end)),
        suppression: None,
        generic,
    }
}

/// The match's first line, secret redacted, cut to a window around the match.
fn snippet(block: &AddedBlock, line_index: usize, span: Span, redact: bool) -> String {
    let line = block.line(line_index);
    let line_start = block.line_start(line_index);
    let relative = |at: usize| at.saturating_sub(line_start).min(line.len());
    let mut shown = line.to_vec();
    let (secret_start, secret_end) = (relative(span.value_start), relative(span.value_end));
    if redact && secret_start < secret_end {
        let keep =
            if span.value_start >= line_start { 4.min((secret_end - secret_start) / 4) } else { 0 };
        let stars = (secret_end - secret_start - keep).min(16);
        shown.splice(secret_start + keep..secret_end, std::iter::repeat_n(b'*', stars));
    }
    let window_start = relative(span.start).saturating_sub(80);
    let window_end = (relative(span.start) + 160).min(shown.len());
    let window = &shown[window_start..window_end.max(window_start)];
    display_safe(String::from_utf8_lossy(window).trim(), 240)
}

/// Whitespace runs collapsed, so re-indenting a line keeps its fingerprint.
fn normalized(value: &[u8]) -> Vec<u8> {
    value
        .split(u8::is_ascii_whitespace)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(&b' ')
}

/// Drops generic matches that overlap a specific one, and exact duplicates, among
/// `out[first..]` (one file's findings).
pub(super) fn drop_generic_overlaps(out: &mut Vec<RawFinding>, first: usize) {
    type Entry = (usize, Option<(usize, usize, usize)>, bool);
    let spans: Vec<Entry> =
        out[first..].iter().map(|finding| (finding.rule, finding.span, finding.generic)).collect();
    let overlaps =
        |a: (usize, usize, usize), b: (usize, usize, usize)| a.0 == b.0 && a.1 < b.2 && b.1 < a.2;
    let keep: Vec<bool> = spans
        .iter()
        .enumerate()
        .map(|(index, &(rule, span, generic))| {
            let Some(span) = span else { return true };
            let shadowed = generic
                && spans.iter().any(|&(_, other, other_generic)| {
                    !other_generic && other.is_some_and(|o| overlaps(span, o))
                });
            let duplicate = spans[..index]
                .iter()
                .any(|&(other_rule, other, _)| other_rule == rule && other == Some(span));
            !shadowed && !duplicate
        })
        .collect();
    let mut index = 0;
    out.retain(|_| {
        let kept = index < first || keep[index - first];
        index += 1;
        kept
    });
}
