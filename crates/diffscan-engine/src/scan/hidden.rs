//! Hidden-text detectors over added blocks that are not pure ASCII: unpaired bidi controls
//! (Trojan Source), invisible characters, a byte-order mark after the start of a file, Unicode tag
//! characters, runs of variation selectors, and mixed-script or confusable identifiers (UTS #39
//! through the `unicode-security` crate).
//!
//! It reports where hidden text is and what it hides, display-safe; it must not print the raw
//! characters anywhere.

use std::collections::HashMap;

use unicode_security::{MixedScript, RestrictionLevel, RestrictionLevelDetection, skeleton};

use super::code_spans::text_mask;
use super::{AddedBlock, FileContext, RawFinding, adjusted_severity};
use crate::rules::{Detector, RuleSet};
use crate::text::{
    BidiScope, bidi_opens, decode_tag_run, display_safe, is_bidi_control, is_invisible, is_joiner,
    is_tag_char, is_variation_selector,
};

pub(super) fn scan_block(
    context: &FileContext<'_, '_>,
    rules: &RuleSet,
    detectors: &HashMap<Detector, Vec<usize>>,
    block: &AddedBlock,
    out: &mut Vec<RawFinding>,
) {
    let mut emit = |line_index: usize, hit: Hit| {
        let Hit { detector, matched, detail, shift } = hit;
        let Some(indices) = detectors.get(&detector) else { return };
        for &index in indices.iter().filter(|&&index| context.applicable[index]) {
            let line = String::from_utf8_lossy(block.line(line_index));
            let number = block.line_number(line_index);
            let kinds = context.kinds_at(number, block.line(line_index));
            out.push(RawFinding {
                rule: index,
                path: Some(context.path.to_string()),
                start_line: Some(number),
                end_line: Some(number),
                diff_line: None,
                matched: matched.clone().into_bytes(),
                snippet: display_safe(line.trim(), 240),
                detail: Some(detail.clone()),
                severity: adjusted_severity(&rules.rules()[index], kinds).shifted(shift),
                span: None,
                suppression: None,
                generic: false,
            });
        }
    };
    for line_index in 0..block.line_count() {
        let bytes = block.line(line_index);
        if bytes.is_ascii() {
            continue;
        }
        let line = String::from_utf8_lossy(bytes);
        let at_file_start = block.first_line == 1 && line_index == 0;
        for hit in line_findings(&line, at_file_start, !context.path.ends_with(".rs")) {
            emit(line_index, hit);
        }
    }
}

/// One thing a hidden-text detector found on a line.
struct Hit {
    detector: Detector,
    matched: String,
    detail: String,
    /// Severity steps relative to the rule's (hidden characters inside text weigh less).
    shift: i8,
}

impl Hit {
    fn new(detector: Detector, matched: String, detail: String) -> Hit {
        Hit { detector, matched, detail, shift: 0 }
    }
}

/// What the hidden-text detectors find on one line.
fn line_findings(line: &str, at_file_start: bool, single_quoted_strings: bool) -> Vec<Hit> {
    let mut found = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let in_text = text_mask(&chars, single_quoted_strings);
    if unpaired_bidi(&chars) {
        let controls = code_points(chars.iter().copied().filter(|c| is_bidi_control(*c)));
        let detail = format!("unpaired bidirectional controls {controls}");
        found.push(Hit::new(Detector::BidiUnpaired, controls, detail));
    }
    let invisible: Vec<usize> = (0..chars.len())
        .filter(|&at| {
            chars[at] != '\u{FEFF}' && is_invisible(chars[at]) && !joins_script(&chars, at)
        })
        .collect();
    if !invisible.is_empty() {
        let points = code_points(invisible.iter().map(|&at| chars[at]));
        // Inside a string or a comment it changes what a reader sees, not what the code does.
        let only_in_text = invisible.iter().all(|&at| in_text[at]);
        let (shift, place) = if only_in_text { (-1, " inside text") } else { (0, " in code") };
        let detail = format!("invisible characters {points}{place}");
        found.push(Hit { detector: Detector::InvisibleCharacter, matched: points, detail, shift });
    }
    let bom_at = chars.iter().position(|&c| c == '\u{FEFF}');
    if bom_at.is_some_and(|at| !(at_file_start && at == 0)) {
        let detail = "byte-order mark after the start of the file".to_string();
        found.push(Hit::new(Detector::BomMidFile, "U+FEFF".into(), detail));
    }
    if let Some(hidden) = smuggled_tags(&chars) {
        let detail = format!("tag characters spelling {:?}", display_safe(&hidden, 200));
        found.push(Hit::new(Detector::TagCharacters, hidden, detail));
    }
    if let Some(run) = smuggling_selector_run(&chars) {
        let detail = format!("{run} variation selectors in a row, enough to encode hidden bytes");
        found.push(Hit::new(Detector::VariationSelectorRun, format!("vs-run:{run}"), detail));
    }
    found.extend(identifier_findings(&chars, &in_text));
    found
}

/// A bidi embedding, override or isolate left open at the end of the line, or a terminator
/// with nothing to close (UAX #9 pairing, per line as compilers and editors apply it).
fn unpaired_bidi(chars: &[char]) -> bool {
    let mut open: Vec<BidiScope> = Vec::new();
    for &c in chars {
        if let Some(scope) = bidi_opens(c) {
            open.push(scope);
        } else if c == '\u{202C}' {
            if open.last() != Some(&BidiScope::Embedding) {
                return true;
            }
            open.pop();
        } else if c == '\u{2069}' {
            match open.iter().rposition(|scope| *scope == BidiScope::Isolate) {
                Some(at) => open.truncate(at),
                None => return true,
            }
        }
    }
    !open.is_empty()
}

/// ZWJ and ZWNJ between two non-ASCII characters are how Persian, Indic scripts and emoji
/// sequences are written, not hiding.
fn joins_script(chars: &[char], at: usize) -> bool {
    let neighbour_ok = |c: Option<&char>| c.is_some_and(|c| !c.is_ascii() && !c.is_whitespace());
    is_joiner(chars[at])
        && at > 0
        && neighbour_ok(chars.get(at - 1))
        && neighbour_ok(chars.get(at + 1))
}

/// The ASCII hidden in tag characters, except emoji tag sequences (subdivision flags such as
/// England's: U+1F3F4, a few lowercase tags, CANCEL TAG).
fn smuggled_tags(chars: &[char]) -> Option<String> {
    let mut hidden = String::new();
    let mut at = 0;
    while at < chars.len() {
        if !is_tag_char(chars[at]) {
            at += 1;
            continue;
        }
        let start = at;
        while at < chars.len() && is_tag_char(chars[at]) {
            at += 1;
        }
        let run: String = chars[start..at].iter().collect();
        let decoded = decode_tag_run(&run);
        let is_flag = start > 0
            && chars[start - 1] == '\u{1F3F4}'
            && chars[at - 1] == '\u{E007F}'
            && (2..=6).contains(&decoded.len())
            && decoded.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if !is_flag {
            hidden.push_str(if decoded.is_empty() { "<tags>" } else { &decoded });
        }
    }
    (!hidden.is_empty()).then_some(hidden)
}

/// The longest run of two or more variation selectors that can carry data: a repeated VS15 or
/// VS16 (text or emoji presentation, often doubled by editors) encodes nothing.
fn smuggling_selector_run(chars: &[char]) -> Option<usize> {
    let mut longest = 0;
    let mut run = 0;
    let mut carries_data = false;
    for &c in chars.iter().chain(std::iter::once(&' ')) {
        if is_variation_selector(c) {
            run += 1;
            carries_data |= !matches!(c, '\u{FE0E}' | '\u{FE0F}');
            continue;
        }
        if run >= 2 && carries_data {
            longest = longest.max(run);
        }
        (run, carries_data) = (0, false);
    }
    (longest > 0).then_some(longest)
}

/// Identifiers in code (not strings or comments) that mix Latin with a confusable script
/// (`pаypal` with a Cyrillic `а`), or are written wholly in another script yet read as ASCII.
fn identifier_findings(chars: &[char], in_text: &[bool]) -> Vec<Hit> {
    let mut found = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let is_word = |c: char| c.is_alphanumeric() || c == '_';
        let end = (start..chars.len()).find(|&at| !is_word(chars[at])).unwrap_or(chars.len());
        if end > start && !in_text[start] {
            let word: String = chars[start..end].iter().collect();
            found.extend(identifier_hit(&word));
        }
        start = end + 1;
    }
    found
}

fn identifier_hit(word: &str) -> Option<Hit> {
    if word.is_ascii() || word.chars().count() < 2 {
        return None;
    }
    let looks_like: String = skeleton(word).collect();
    let shown = display_safe(word, 80);
    let has_latin = word.chars().any(|c| c.is_ascii_alphabetic());
    let confusable = word
        .chars()
        .any(|c| !c.is_ascii() && unicode_security::is_potential_mixed_script_confusable_char(c));
    let mixed = word.detect_restriction_level() >= RestrictionLevel::MinimallyRestrictive;
    if has_latin && mixed && confusable {
        let detail = format!(
            "identifier {shown:?} mixes scripts and reads like {:?}",
            display_safe(&looks_like, 80)
        );
        return Some(Hit::new(Detector::MixedScriptIdentifier, word.to_string(), detail));
    }
    let reads_as_ascii = looks_like.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if word.is_single_script() && !has_latin && word.chars().count() >= 3 && reads_as_ascii {
        let detail = format!(
            "identifier {shown:?} is written in another script but reads as {looks_like:?}"
        );
        return Some(Hit::new(Detector::ConfusableIdentifier, word.to_string(), detail));
    }
    None
}

fn code_points(chars: impl Iterator<Item = char>) -> String {
    let mut points: Vec<String> = chars.map(|c| format!("U+{:04X}", u32::from(c))).collect();
    points.dedup();
    points.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detectors(line: &str) -> Vec<Detector> {
        line_findings(line, false, true).into_iter().map(|hit| hit.detector).collect()
    }

    #[test]
    fn trojan_source_stretched_string_is_unpaired() {
        let line =
            "if access_level != \"user\u{202E} \u{2066}// Check if admin\u{2069} \u{2066}\" {";
        assert!(detectors(line).contains(&Detector::BidiUnpaired));
    }

    #[test]
    fn balanced_bidi_isolates_are_not_unpaired() {
        assert!(!detectors("let s = \"\u{2067}مرحبا\u{2069}\";").contains(&Detector::BidiUnpaired));
    }

    #[test]
    fn zero_width_joiner_inside_an_emoji_sequence_is_not_hiding() {
        assert!(detectors("// family: 👨\u{200D}👩\u{200D}👧").is_empty());
        assert_eq!(detectors("let a\u{200B}b = 1;"), vec![Detector::InvisibleCharacter]);
    }

    #[test]
    fn a_flag_emoji_tag_sequence_is_not_smuggling_but_tag_text_is() {
        let england = "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}";
        assert!(smuggled_tags(&england.chars().collect::<Vec<_>>()).is_none());
        let hidden: String = "run rm"
            .chars()
            .map(|c| char::from_u32(0xE0000 + u32::from(c)).unwrap_or(' '))
            .collect();
        assert_eq!(
            smuggled_tags(&format!("ok{hidden}").chars().collect::<Vec<_>>()),
            Some("run rm".into())
        );
    }

    #[test]
    fn cyrillic_letters_inside_a_latin_identifier_are_mixed_script() {
        assert!(
            detectors("fn p\u{0430}ypal_login() {}").contains(&Detector::MixedScriptIdentifier)
        );
        assert!(detectors("let naïve_café = 1;").is_empty());
    }
}
