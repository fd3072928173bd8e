//! A rule's positive and negative examples, and the kinds of file change a file rule matches.
//!
//! An example is a path and the text a change adds (or a whole diff); it is turned into a real
//! unified diff so that examples exercise exactly the path a scanned pull request takes.

use serde::{Deserialize, Serialize};

use crate::diff::{ChangeKind, FileMode, FilePatch};

/// A kind of change to a file, as rules name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeFilter {
    #[default]
    Any,
    Added,
    Deleted,
    Modified,
    Renamed,
    Copied,
    ModeChanged,
    BecameExecutable,
}

impl ChangeFilter {
    /// Whether a file patch is this kind of change.
    pub fn matches(self, file: &FilePatch<'_>) -> bool {
        let header = &file.header;
        match self {
            ChangeFilter::Any => true,
            ChangeFilter::Added => file.change() == ChangeKind::Added,
            ChangeFilter::Deleted => file.change() == ChangeKind::Deleted,
            ChangeFilter::Modified => file.change() == ChangeKind::Modified,
            ChangeFilter::Renamed => file.change() == ChangeKind::Renamed,
            ChangeFilter::Copied => file.change() == ChangeKind::Copied,
            ChangeFilter::ModeChanged => {
                header.old_mode.is_some() && header.old_mode != header.new_mode
            }
            ChangeFilter::BecameExecutable => {
                let was_executable =
                    header.old_mode.as_ref().and_then(|m| m.valid()) == Some(FileMode::Executable);
                file.resulting_mode() == Some(FileMode::Executable) && !was_executable
            }
        }
    }
}

/// One example of a rule: the change it describes and, for tests, whether the rule must fire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub path: String,
    /// Lines the change adds (for added and modified files).
    pub text: Option<String>,
    pub change: ChangeFilter,
    pub old_path: Option<String>,
    /// A complete diff, used as written instead of building one.
    pub diff: Option<String>,
}

/// The path examples use when they name none.
pub const DEFAULT_EXAMPLE_PATH: &str = "src/app.py";

impl Example {
    /// The example as a unified diff, the way git would write it.
    pub fn to_diff(&self) -> String {
        if let Some(diff) = &self.diff {
            return diff.clone();
        }
        let path = &self.path;
        let added: Vec<&str> = self.text.as_deref().map(split_lines).unwrap_or_default();
        let body: String = added.iter().map(|line| format!("+{line}\n")).collect();
        let mut out = String::new();
        match self.change {
            ChangeFilter::Added => {
                out.push_str(&format!("diff --git a/{path} b/{path}\nnew file mode 100644\n"));
                if added.is_empty() {
                    out.push_str("index 0000000..e69de29\n");
                } else {
                    out.push_str("index 0000000..1f2e3d4\n--- /dev/null\n");
                    out.push_str(&format!("+++ b/{path}\n@@ -0,0 +1,{} @@\n{body}", added.len()));
                }
            }
            ChangeFilter::Deleted => {
                out.push_str(&format!("diff --git a/{path} b/{path}\ndeleted file mode 100644\n"));
                out.push_str(&format!(
                    "index 1f2e3d4..0000000\n--- a/{path}\n+++ /dev/null\n@@ -1 +0,0 @@\n-old\n"
                ));
            }
            ChangeFilter::Renamed | ChangeFilter::Copied => {
                let verb = if self.change == ChangeFilter::Renamed { "rename" } else { "copy" };
                let old = self.old_path.as_deref().unwrap_or("old-name.txt");
                out.push_str(&format!("diff --git a/{old} b/{path}\nsimilarity index 100%\n"));
                out.push_str(&format!("{verb} from {old}\n{verb} to {path}\n"));
            }
            ChangeFilter::ModeChanged | ChangeFilter::BecameExecutable => {
                out.push_str(&format!(
                    "diff --git a/{path} b/{path}\nold mode 100644\nnew mode 100755\n"
                ));
            }
            ChangeFilter::Modified | ChangeFilter::Any => {
                out.push_str(&format!(
                    "diff --git a/{path} b/{path}\nindex 1f2e3d4..5a6b7c8 100644\n"
                ));
                out.push_str(&format!(
                    "--- a/{path}\n+++ b/{path}\n@@ -1 +1,{} @@\n \n{body}",
                    added.len() + 1
                ));
            }
        }
        out
    }
}

fn split_lines(text: &str) -> Vec<&str> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        return Vec::new();
    }
    text.split('\n').collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{ParseLimits, parse};

    fn example(change: ChangeFilter, text: Option<&str>) -> Example {
        Example {
            path: "src/a b.rs".into(),
            text: text.map(str::to_string),
            change,
            old_path: None,
            diff: None,
        }
    }

    #[test]
    fn every_synthesized_example_parses_without_problems() {
        let limits = ParseLimits { max_files: 10, max_line_bytes: 1000 };
        for change in [
            ChangeFilter::Added,
            ChangeFilter::Deleted,
            ChangeFilter::Modified,
            ChangeFilter::Renamed,
            ChangeFilter::Copied,
            ChangeFilter::ModeChanged,
        ] {
            let text = example(change, Some("one\ntwo\n")).to_diff();
            let diff = parse(text.as_bytes(), &limits);
            assert!(diff.problems.is_empty(), "{change:?}: {:?}", diff.problems);
            assert_eq!(diff.files.len(), 1, "{change:?}");
            assert!(change.matches(&diff.files[0]), "{change:?}");
        }
    }

    #[test]
    fn an_added_example_becomes_a_new_file_with_its_lines() {
        let text = example(ChangeFilter::Added, Some("first\nsecond")).to_diff();
        let diff = parse(text.as_bytes(), &ParseLimits { max_files: 10, max_line_bytes: 1000 });
        assert_eq!(diff.files[0].added_line_count(), 2);
        assert_eq!(diff.files[0].new_path.as_deref(), Some("src/a b.rs"));
    }
}
