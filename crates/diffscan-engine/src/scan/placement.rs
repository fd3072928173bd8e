//! Where in its file a match sits, beyond what the path says: on a documentation comment line
//! (it then weighs as documentation) or below a Rust `#[cfg(test)]` line (it then weighs as test
//! code).
//!
//! It can only add kinds that lower a rule's weight, so it decides grading, never whether a
//! finding exists: a hostile author who writes `#[cfg(test)]` above a key gets the key reported
//! as a test key, not hidden.

use super::FileContext;
use crate::context::{FileKind, FileKinds};

impl FileContext<'_, '_> {
    /// The file's kinds for a match whose first line is `number` with text `line`.
    pub fn kinds_at(&self, number: u32, line: &[u8]) -> FileKinds {
        let mut kinds = self.kinds;
        if self.kinds.contains(FileKind::Code) && is_doc_comment(line) {
            kinds = kinds.with(FileKind::Docs);
        }
        if self.rust_test_module_start().is_some_and(|start| number > start) {
            kinds = kinds.with(FileKind::Test);
        }
        kinds
    }

    /// The first new-side line holding `#[cfg(test)]` in a Rust file, as far as the diff shows.
    fn rust_test_module_start(&self) -> Option<u32> {
        *self.test_module_start.get_or_init(|| {
            if !self.path.ends_with(".rs") {
                return None;
            }
            super::visible_lines(self.file)
                .into_iter()
                .find(|line| line.text.trim_ascii() == b"#[cfg(test)]")
                .map(|line| line.number)
        })
    }
}

/// `///`, `//!`, `/**`, `#[doc`, or a ` * ` continuation line of a block comment.
fn is_doc_comment(line: &[u8]) -> bool {
    let line = line.trim_ascii_start();
    ["///", "//!", "/**", "#[doc", "* "].iter().any(|marker| line.starts_with(marker.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_comment_lines_are_recognized_and_attributes_are_not() {
        assert!(is_doc_comment(b"    /// let key = \"-----BEGIN"));
        assert!(is_doc_comment(b"//! Example:"));
        assert!(is_doc_comment(b" * @param token"));
        assert!(!is_doc_comment(b"#![forbid(unsafe_code)]"));
        assert!(!is_doc_comment(b"let key = load();"));
    }
}
