//! Compiling the pieces of a rule: regexes (on bytes, ASCII classes, bounded size), path globs
//! and prefilter keywords.
//!
//! Everything a tenant writes passes through here, so every limit on what a pack may cost is
//! enforced here.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::bytes::{Regex, RegexBuilder};

const MAX_PATTERN_CHARS: usize = 4_096;
const MAX_KEYWORDS: usize = 64;

/// Compiles a pattern for matching diff bytes. Unicode mode is off, so `\w`, `\s`, `\b` and
/// `(?i)` are ASCII-only: cheaper, and what every rule here means.
pub(crate) fn compile_regex(pattern: &str) -> Result<Regex, String> {
    if pattern.len() > MAX_PATTERN_CHARS {
        return Err(format!("longer than {MAX_PATTERN_CHARS} characters"));
    }
    RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(2 << 20)
        .dfa_size_limit(4 << 20)
        .build()
        .map_err(|error| error.to_string())
}

/// Compiles path globs (`*` stays within a directory, `**` crosses them; case-insensitive,
/// since case-insensitive checkouts reach the same file). `None` for an empty list.
pub(crate) fn compile_globs(globs: &[String]) -> Result<Option<GlobSet>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut set = GlobSetBuilder::new();
    for glob in globs {
        let compiled = GlobBuilder::new(glob)
            .literal_separator(true)
            .case_insensitive(true)
            .build()
            .map_err(|error| format!("{glob:?}: {error}"))?;
        set.add(compiled);
    }
    set.build().map(Some).map_err(|error| error.to_string())
}

/// Lowercased prefilter keywords: at least one, ASCII, at least three characters each, so the
/// prefilter stays selective.
pub(crate) fn keyword_list(keywords: &[String]) -> Result<Vec<String>, String> {
    if keywords.is_empty() || keywords.len() > MAX_KEYWORDS {
        return Err(format!("a `pattern` rule needs 1 to {MAX_KEYWORDS} `keywords`"));
    }
    keywords
        .iter()
        .map(|keyword| {
            if keyword.len() < 3 || keyword.len() > 64 || !keyword.is_ascii() {
                Err(format!("keyword {keyword:?} must be 3 to 64 ASCII characters"))
            } else {
                Ok(keyword.to_ascii_lowercase())
            }
        })
        .collect()
}
