//! The lines between `diff --git` and the first hunk: the paths on the `diff --git`, `---` and
//! `+++` lines, and git's extended headers (modes, renames, copies, similarity, `index`, binary).
//!
//! It only recognizes and records what a line declares; whether the declarations agree is the
//! verifier's business.

use super::path::unquote_c_style;
use super::{FileMode, Header, IndexLine, ModeField};

/// What a header line declared, once recognized.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum HeaderLine {
    Recognized,
    BinaryPatchStart,
    NotAHeader,
}

/// Records `line` into `header` when it is one of git's extended header lines.
pub(super) fn apply_extended(header: &mut Header, line: &[u8], line_no: usize) -> HeaderLine {
    let text = String::from_utf8_lossy(line);
    let text = text.as_ref();
    let mode = |rest: &str| {
        Some(match FileMode::parse(rest.trim()) {
            Ok(mode) => ModeField::Valid(mode),
            Err(invalid) => ModeField::Invalid(invalid.0),
        })
    };
    if let Some(rest) = text.strip_prefix("old mode ") {
        header.old_mode = mode(rest);
    } else if let Some(rest) = text.strip_prefix("new mode ") {
        header.new_mode = mode(rest);
    } else if let Some(rest) = text.strip_prefix("deleted file mode ") {
        header.deleted_file_mode = mode(rest);
    } else if let Some(rest) = text.strip_prefix("new file mode ") {
        header.new_file_mode = mode(rest);
    } else if let Some(rest) = line.strip_prefix(b"rename from ") {
        header.rename_from = Some(header_path(rest));
    } else if let Some(rest) = line.strip_prefix(b"rename to ") {
        header.rename_to = Some(header_path(rest));
    } else if let Some(rest) = line.strip_prefix(b"copy from ") {
        header.copy_from = Some(header_path(rest));
    } else if let Some(rest) = line.strip_prefix(b"copy to ") {
        header.copy_to = Some(header_path(rest));
    } else if let Some(rest) = text.strip_prefix("similarity index ") {
        header.similarity = rest.trim_end_matches('%').parse().ok();
    } else if text.starts_with("dissimilarity index ") {
        // Declares a rewrite; nothing to check beyond recognizing it.
    } else if let Some(rest) = text.strip_prefix("index ") {
        header.index = Some(parse_index(rest, line_no));
    } else if text.starts_with("Binary files ") && text.ends_with(" differ") {
        header.binary = true;
    } else if text == "GIT binary patch" {
        header.binary = true;
        return HeaderLine::BinaryPatchStart;
    } else {
        return HeaderLine::NotAHeader;
    }
    HeaderLine::Recognized
}

fn parse_index(rest: &str, line: usize) -> IndexLine {
    let (hashes, mode) = match rest.split_once(' ') {
        Some((hashes, mode)) => (hashes, Some(mode)),
        None => (rest, None),
    };
    let (old_hash, new_hash) = hashes.split_once("..").unwrap_or((hashes, ""));
    let mode = mode.map(|text| match FileMode::parse(text.trim()) {
        Ok(mode) => ModeField::Valid(mode),
        Err(invalid) => ModeField::Invalid(invalid.0),
    });
    IndexLine { old_hash: cap(old_hash), new_hash: cap(new_hash), mode, line }
}

fn cap(text: &str) -> String {
    text.chars().take(80).collect()
}

/// A path as written after `rename from` and the like: quoted or bare to the end of the line.
fn header_path(rest: &[u8]) -> String {
    match unquote_c_style(rest) {
        Some((bytes, _)) => String::from_utf8_lossy(&bytes).into_owned(),
        None => String::from_utf8_lossy(rest).into_owned(),
    }
}

/// The path on a `---` or `+++` line; `None` for `/dev/null`.
pub(super) fn marker_path(rest: &[u8], prefix: &str) -> Option<String> {
    let raw = match unquote_c_style(rest) {
        Some((bytes, _)) => String::from_utf8_lossy(&bytes).into_owned(),
        None => {
            // Unquoted names end at a tab: `diff -u` writes a timestamp there, and git a bare tab
            // after names that contain a space.
            let name = rest.split(|&byte| byte == b'\t').next().unwrap_or(rest);
            String::from_utf8_lossy(name).into_owned()
        }
    };
    if raw == "/dev/null" {
        return None;
    }
    Some(raw.strip_prefix(prefix).map(str::to_string).unwrap_or(raw))
}

/// The two paths of a `diff --git` line, prefixes removed. A bare line is ambiguous when names
/// contain spaces; without a rename both names are equal, which picks the split.
pub(super) fn git_line_paths(rest: &[u8]) -> Option<(String, String)> {
    let (old, new) = if rest.starts_with(b"\"") {
        let (old, after) = unquote_c_style(rest)?;
        let after = after.strip_prefix(b" ")?;
        (old, second_path(after))
    } else if let Some(at) = find(rest, b" \"") {
        (rest[..at].to_vec(), second_path(&rest[at + 1..]))
    } else {
        let at = split_bare(rest)?;
        (rest[..at].to_vec(), rest[at + 1..].to_vec())
    };
    let old = String::from_utf8_lossy(&old).into_owned();
    let new = String::from_utf8_lossy(&new).into_owned();
    if let (Some(old), Some(new)) = (old.strip_prefix("a/"), new.strip_prefix("b/")) {
        return Some((old.to_string(), new.to_string()));
    }
    Some((old, new))
}

fn second_path(text: &[u8]) -> Vec<u8> {
    match unquote_c_style(text) {
        Some((bytes, _)) => bytes,
        None => text.to_vec(),
    }
}

fn split_bare(rest: &[u8]) -> Option<usize> {
    let spaces: Vec<usize> =
        rest.iter().enumerate().filter(|(_, byte)| **byte == b' ').map(|(at, _)| at).collect();
    let same_after_prefix = |at: usize| {
        let (old, new) = (&rest[..at], &rest[at + 1..]);
        let tail = |path: &[u8]| path.iter().position(|&b| b == b'/').map(|slash| slash + 1);
        match (tail(old), tail(new)) {
            (Some(a), Some(b)) => old[a..] == new[b..],
            _ => old == new,
        }
    };
    spaces
        .iter()
        .copied()
        .find(|&at| same_after_prefix(at))
        .or_else(|| find(rest, b" b/"))
        .or_else(|| spaces.first().copied())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_spaces_split_where_both_names_agree() {
        let paths = git_line_paths(b"a/my file.txt b/my file.txt");
        assert_eq!(paths, Some(("my file.txt".into(), "my file.txt".into())));
    }

    #[test]
    fn quoted_paths_on_the_git_line_are_unescaped() {
        let paths = git_line_paths(b"\"a/t\\303\\244st\" \"b/t\\303\\244st\"");
        assert_eq!(paths, Some(("täst".into(), "täst".into())));
    }

    #[test]
    fn a_timestamp_after_the_marker_path_is_dropped() {
        assert_eq!(marker_path(b"a/x.c\t2024-01-01 10:00:00", "a/"), Some("x.c".into()));
        assert_eq!(marker_path(b"/dev/null", "a/"), None);
    }

    #[test]
    fn the_index_line_keeps_hashes_and_mode() {
        let mut header = Header::default();
        apply_extended(&mut header, b"index 83db48f..bf269f4 100755", 3);
        let index = header.index.unwrap_or_else(|| panic!("index line not recorded"));
        assert_eq!(index.old_hash, "83db48f");
        assert_eq!(index.new_hash, "bf269f4");
        assert_eq!(index.mode, Some(ModeField::Valid(FileMode::Executable)));
    }
}
