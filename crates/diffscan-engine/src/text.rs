//! Character classes that hide or reorder text, Shannon entropy, and making hostile text safe to
//! show: every string a report carries from a diff passes through [`display_safe`].
//!
//! It owns the facts (from Unicode and UTS #39 practice) about which code points are invisible or
//! reorder display; it must not decide severity or policy.

/// Bidirectional embedding, override and isolate controls and their terminators (the set the
/// Trojan Source paper, CVE-2021-42574, uses).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Bidi controls that open a scope which a PDF or PDI must close.
pub fn bidi_opens(c: char) -> Option<BidiScope> {
    match c {
        '\u{202A}'..='\u{202B}' | '\u{202D}'..='\u{202E}' => Some(BidiScope::Embedding),
        '\u{2066}'..='\u{2068}' => Some(BidiScope::Isolate),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BidiScope {
    Embedding,
    Isolate,
}

/// Unicode tag characters, which spell out ASCII invisibly (used to smuggle prompts).
pub fn is_tag_char(c: char) -> bool {
    ('\u{E0000}'..='\u{E007F}').contains(&c)
}

/// Variation selectors VS1–VS16 and VS17–VS256.
pub fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Characters that render as nothing (or as blank) in most editors and review tools.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206A}'..='\u{206F}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1D173}'..='\u{1D17A}'
    )
}

/// Zero-width joiners that scripts such as Persian, Devanagari and emoji sequences need.
pub fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// Any character that hides, reorders or smuggles text.
pub fn is_hiding_char(c: char) -> bool {
    is_bidi_control(c)
        || is_invisible(c)
        || is_tag_char(c)
        || is_variation_selector(c)
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Makes text from a diff safe to print in a terminal, a JSON consumer or a web page: control,
/// bidi, invisible, tag and variation-selector characters become `<U+XXXX>`, and the result is
/// cut to `max_chars` characters (with `…`).
pub fn display_safe(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 2));
    for (shown, c) in text.chars().enumerate() {
        if shown >= max_chars {
            out.push('…');
            break;
        }
        if c == '\t' {
            out.push(' ');
        } else if c.is_control() || is_hiding_char(c) || is_odd_space(c) {
            out.push_str(&format!("<U+{:04X}>", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

fn is_odd_space(c: char) -> bool {
    (c.is_whitespace() && c != ' ')
        || matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}')
}

/// Shannon entropy in bits per byte.
pub fn shannon_entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &byte in bytes {
        counts[usize::from(byte)] += 1;
    }
    let total = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&count| count > 0)
        .map(|&count| {
            let p = f64::from(count) / total;
            -p * p.log2()
        })
        .sum()
}

/// Decodes the ASCII that a run of tag characters spells (U+E0020–E007E map to ' '–'~').
pub fn decode_tag_run(run: &str) -> String {
    run.chars()
        .filter_map(|c| {
            let value = u32::from(c).checked_sub(0xE0000)?;
            let byte = u8::try_from(value).ok()?;
            (0x20..0x7F).contains(&byte).then_some(char::from(byte))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_shown_as_code_points() {
        let shown = display_safe("ok\u{202E}evil\u{200B}\x1b[31m", 80);
        assert_eq!(shown, "ok<U+202E>evil<U+200B><U+001B>[31m");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(display_safe("abcdef", 3), "abc…");
    }

    #[test]
    fn entropy_separates_random_tokens_from_words() {
        assert!(shannon_entropy(b"aaaaaaaaaaaaaaaa") < 0.1);
        assert!(shannon_entropy(b"q8Zt3LxV0pW9mB2nR7cK") > 4.0);
    }

    #[test]
    fn tag_runs_decode_to_the_ascii_they_hide() {
        let hidden: String =
            "hi!".chars().map(|c| char::from_u32(0xE0000 + u32::from(c)).unwrap_or('?')).collect();
        assert_eq!(decode_tag_run(&hidden), "hi!");
    }
}
