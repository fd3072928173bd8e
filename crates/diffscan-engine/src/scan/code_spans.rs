//! Which characters of a line sit inside a string literal or a comment, judged per line for the
//! common languages (C-family, Rust, Go, JS/TS, Python, shell, Ruby, YAML, HTML).
//!
//! It is a heuristic for grading, not a parser: it only decides whether a hidden character can
//! change what the code does (in code) or only what a reader sees (in text). It must never be
//! used to skip a detector whose finding does not depend on that difference.

/// Per character of `chars`: `true` inside a string literal or a comment. Single quotes open
/// strings only where the language has such strings (`single_quoted_strings`; not Rust, whose
/// lifetimes would open one); a one-character literal such as `'x'` counts everywhere.
pub(super) fn text_mask(chars: &[char], single_quoted_strings: bool) -> Vec<bool> {
    let mut mask = vec![false; chars.len()];
    let mut quote: Option<char> = None;
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        match quote {
            Some(open) => {
                mask[at] = true;
                if c == '\\' {
                    if let Some(next) = mask.get_mut(at + 1) {
                        *next = true;
                    }
                    at += 1;
                } else if c == open {
                    quote = None;
                }
            }
            None if c == '"' || c == '`' => {
                mask[at] = true;
                quote = Some(c);
            }
            None if c == '\'' && char_literal_end(chars, at).is_some() => {
                let end = char_literal_end(chars, at).unwrap_or(at);
                mask[at..=end].iter_mut().for_each(|cell| *cell = true);
                at = end;
            }
            None if c == '\'' && single_quoted_strings && !follows_word(chars, at) => {
                mask[at] = true;
                quote = Some(c);
            }
            None if starts_comment(chars, at) => {
                mask[at..].iter_mut().for_each(|cell| *cell = true);
                break;
            }
            None => {}
        }
        at += 1;
    }
    mask
}

/// The closing quote of a character literal opened at `at`: `'x'`, `'\n'`, `'\u{200B}'`.
fn char_literal_end(chars: &[char], at: usize) -> Option<usize> {
    match chars.get(at + 1)? {
        '\\' => (at + 2..chars.len().min(at + 12)).find(|&end| chars[end] == '\''),
        '\'' => None,
        _ => (chars.get(at + 2) == Some(&'\'')).then_some(at + 2),
    }
}

/// An apostrophe inside a word (`don't`) opens no string.
fn follows_word(chars: &[char], at: usize) -> bool {
    at > 0 && chars[at - 1].is_alphanumeric()
}

/// `//`, `/*`, `<!--`, a leading `*` of a block comment, or `#` that starts a shell, Python,
/// Ruby or YAML comment (not Rust's `#[`/`#!` attributes).
fn starts_comment(chars: &[char], at: usize) -> bool {
    let next = chars.get(at + 1).copied();
    let only_space_before = chars[..at].iter().all(|c| c.is_whitespace());
    match chars[at] {
        '/' => matches!(next, Some('/' | '*')),
        '<' => chars.get(at + 1..at + 4) == Some(&['!', '-', '-']),
        '*' => only_space_before,
        '#' => {
            let after_space = at == 0 || chars[at - 1].is_whitespace();
            after_space && !matches!(next, Some('[' | '!'))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(line: &str) -> String {
        let chars: Vec<char> = line.chars().collect();
        text_mask(&chars, true).iter().map(|&text| if text { 't' } else { 'c' }).collect()
    }

    #[test]
    fn strings_and_comments_are_text_and_the_rest_is_code() {
        assert_eq!(masked("a = \"b\" // c"), "cccctttctttt");
        assert_eq!(masked("x # y"), "ccttt");
        assert_eq!(masked("#[derive(X)]"), "cccccccccccc");
        assert_eq!(masked("s = \"a\\\"b\" + c"), "ccccttttttcccc");
    }

    #[test]
    fn character_literals_are_text_but_rust_lifetimes_open_nothing() {
        let chars: Vec<char> = "fn f<'a>(x: &'a str) -> char { 'x' }".chars().collect();
        let mask = text_mask(&chars, false);
        assert!(!mask[5] && !mask[14], "lifetimes are code");
        assert!(mask[31] && mask[32] && mask[33], "the literal is text");
        assert_eq!(masked("s = 'ab' + c"), "ccccttttcccc");
        assert_eq!(masked("don't # x"), "ccccccttt");
    }

    #[test]
    fn an_unterminated_string_runs_to_the_end_of_the_line() {
        assert_eq!(masked("f(`abc"), "cctttt");
    }
}
