//! Paths inside a repository: git's C-style quoting undone, and [`RepoPath`], a path proven
//! relative, inside the work tree and outside `.git/`.
//!
//! A diff can name any path; nothing here touches the file system or resolves anything. A path
//! that would escape the work tree on any platform git checks out to is refused, not repaired.

use std::fmt;

/// A normalized repository path: relative, `/`-separated, without `.`, `..`, empty or `.git`
/// components, control characters or characters that hide text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RepoPath(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("the path is empty")]
    Empty,
    #[error("the path is absolute")]
    Absolute,
    #[error("the path climbs out of the repository with `..`")]
    ParentComponent,
    #[error("the path reaches into the repository's `.git` directory")]
    GitDirectory,
    #[error("the path contains a control character")]
    ControlCharacter,
    #[error("the path contains a backslash, a separator on Windows")]
    Backslash,
    #[error("the path contains an invisible or bidirectional-control character")]
    HiddenCharacter,
}

impl RepoPath {
    pub fn parse(raw: &str) -> Result<RepoPath, PathError> {
        if raw.is_empty() {
            return Err(PathError::Empty);
        }
        if raw.starts_with('/') || has_windows_drive(raw) {
            return Err(PathError::Absolute);
        }
        if raw.chars().any(char::is_control) {
            return Err(PathError::ControlCharacter);
        }
        if raw.contains('\\') {
            return Err(PathError::Backslash);
        }
        if raw.chars().any(crate::text::is_hiding_char) {
            return Err(PathError::HiddenCharacter);
        }
        let mut components = Vec::new();
        for component in raw.split('/') {
            match component {
                "" | "." => {}
                ".." => return Err(PathError::ParentComponent),
                // Windows and macOS check out case-insensitively, and strip trailing dots and
                // spaces, so `.GIT` and `.git.` reach the same directory.
                name if name.trim_end_matches(['.', ' ']).eq_ignore_ascii_case(".git") => {
                    return Err(PathError::GitDirectory);
                }
                name => components.push(name),
            }
        }
        if components.is_empty() {
            return Err(PathError::Empty);
        }
        Ok(RepoPath(components.join("/")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last component, the file's name.
    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }
}

impl fmt::Display for RepoPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn has_windows_drive(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

/// Undoes git's quoting of a path written as `"..."` (C escapes and octal bytes). Returns `None`
/// when the text is not a complete quoted string; the rest after the closing quote is returned.
pub fn unquote_c_style(text: &[u8]) -> Option<(Vec<u8>, &[u8])> {
    let body = text.strip_prefix(b"\"")?;
    let mut out = Vec::with_capacity(body.len());
    let mut index = 0;
    while index < body.len() {
        match body[index] {
            b'"' => return Some((out, &body[index + 1..])),
            b'\\' => {
                let (byte, used) = unescape(&body[index + 1..])?;
                out.push(byte);
                index += 1 + used;
            }
            byte => {
                out.push(byte);
                index += 1;
            }
        }
    }
    None
}

fn unescape(rest: &[u8]) -> Option<(u8, usize)> {
    let first = *rest.first()?;
    let simple = match first {
        b'a' => Some(0x07),
        b'b' => Some(0x08),
        b't' => Some(b'\t'),
        b'n' => Some(b'\n'),
        b'v' => Some(0x0b),
        b'f' => Some(0x0c),
        b'r' => Some(b'\r'),
        b'"' => Some(b'"'),
        b'\\' => Some(b'\\'),
        _ => None,
    };
    if let Some(byte) = simple {
        return Some((byte, 1));
    }
    let digits = rest.get(..3)?;
    if !digits.iter().all(|digit| (b'0'..=b'7').contains(digit)) {
        return None;
    }
    let value = digits.iter().fold(0u32, |acc, digit| acc * 8 + u32::from(digit - b'0'));
    u8::try_from(value).ok().map(|byte| (byte, 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_relative_path_is_kept_with_redundant_parts_removed() {
        let path = RepoPath::parse("./src//lib.rs");
        assert_eq!(path.map(|p| p.to_string()), Ok("src/lib.rs".to_string()));
    }

    #[test]
    fn paths_that_escape_the_work_tree_are_refused() {
        assert_eq!(RepoPath::parse("../etc/passwd"), Err(PathError::ParentComponent));
        assert_eq!(RepoPath::parse("/etc/passwd"), Err(PathError::Absolute));
        assert_eq!(RepoPath::parse("C:/Windows/win.ini"), Err(PathError::Absolute));
        assert_eq!(RepoPath::parse("src\\..\\x"), Err(PathError::Backslash));
    }

    #[test]
    fn paths_into_the_git_directory_are_refused_in_any_case_spelling() {
        assert_eq!(RepoPath::parse(".git/hooks/pre-commit"), Err(PathError::GitDirectory));
        assert_eq!(RepoPath::parse("sub/.GIT/config"), Err(PathError::GitDirectory));
        assert_eq!(RepoPath::parse(".git. /config"), Err(PathError::GitDirectory));
        assert!(RepoPath::parse(".github/workflows/ci.yml").is_ok());
        assert!(RepoPath::parse(".gitignore").is_ok());
    }

    #[test]
    fn a_bidi_control_in_a_path_is_refused() {
        assert_eq!(RepoPath::parse("src/\u{202e}txt.exe"), Err(PathError::HiddenCharacter));
    }

    #[test]
    fn quoted_paths_are_unescaped_including_octal_utf8() {
        let (bytes, rest) =
            unquote_c_style(b"\"a/caf\\303\\251 \\\"x\\\".txt\" tail").unwrap_or_default();
        assert_eq!(String::from_utf8_lossy(&bytes), "a/café \"x\".txt");
        assert_eq!(rest, b" tail");
        assert_eq!(unquote_c_style(b"\"unterminated"), None);
        assert_eq!(unquote_c_style(b"\"bad \\9 escape\""), None);
    }
}
