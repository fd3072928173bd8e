//! Structural checks of a parsed diff: paths stay inside the work tree, declared modes and
//! `index` hashes agree with each other and with what the hunks do, hunks are in order, symlinks
//! point inside the repository, binary content is noted. Also the configurable [`Limits`].
//!
//! It reports [`Problem`]s and never rejects the diff itself; the policy decides what blocks. It
//! must not read content for meaning (that is the rules' job).

use serde::{Deserialize, Serialize};

use crate::diff::{
    ChangeKind, Diff, FileMode, FilePatch, LineKind, ModeField, Problem, ProblemKind,
};
use crate::diff::{ParseLimits, RepoPath};
use crate::text::display_safe;

/// Bounds on the work one scan may do. A diff over `max_total_bytes` or with more than
/// `max_files` file patches is not scanned (an `error` decision); longer lines than
/// `max_line_bytes` are cut and reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawLimits", into = "RawLimits")]
pub struct Limits {
    max_total_bytes: usize,
    max_files: usize,
    max_line_bytes: usize,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawLimits {
    max_total_bytes: usize,
    max_files: usize,
    max_line_bytes: usize,
}

impl Default for RawLimits {
    fn default() -> Self {
        let limits = Limits::default();
        RawLimits {
            max_total_bytes: limits.max_total_bytes,
            max_files: limits.max_files,
            max_line_bytes: limits.max_line_bytes,
        }
    }
}

impl From<Limits> for RawLimits {
    fn from(limits: Limits) -> Self {
        RawLimits {
            max_total_bytes: limits.max_total_bytes,
            max_files: limits.max_files,
            max_line_bytes: limits.max_line_bytes,
        }
    }
}

impl TryFrom<RawLimits> for Limits {
    type Error = LimitsError;

    fn try_from(raw: RawLimits) -> Result<Self, Self::Error> {
        Limits::new(raw.max_total_bytes, raw.max_files, raw.max_line_bytes)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("every limit must be at least 1 (and max_line_bytes at least 80)")]
pub struct LimitsError;

impl Default for Limits {
    /// 64 MiB, 10,000 files, 32 KiB lines: far above a reviewable pull request, far below what
    /// would let one request tie up a core for long.
    fn default() -> Self {
        Limits { max_total_bytes: 64 << 20, max_files: 10_000, max_line_bytes: 32 << 10 }
    }
}

impl Limits {
    pub fn new(
        max_total_bytes: usize,
        max_files: usize,
        max_line_bytes: usize,
    ) -> Result<Self, LimitsError> {
        if max_total_bytes == 0 || max_files == 0 || max_line_bytes < 80 {
            return Err(LimitsError);
        }
        Ok(Limits { max_total_bytes, max_files, max_line_bytes })
    }

    pub fn max_total_bytes(&self) -> usize {
        self.max_total_bytes
    }

    pub fn max_files(&self) -> usize {
        self.max_files
    }

    pub fn max_line_bytes(&self) -> usize {
        self.max_line_bytes
    }

    pub fn parse_limits(&self) -> ParseLimits {
        ParseLimits { max_files: self.max_files, max_line_bytes: self.max_line_bytes }
    }
}

/// Every structural problem of the diff's files (the parser's own problems are in `diff`).
pub fn verify(diff: &Diff<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    for file in &diff.files {
        let mut check = FileCheck { file, problems: &mut problems };
        check.paths();
        check.markers();
        check.modes();
        check.index();
        check.hunks();
        check.symlink();
        if file.header.binary {
            check.report(ProblemKind::BinaryContent, "binary content: it cannot be scanned".into());
        }
    }
    problems
}

struct FileCheck<'f, 'a> {
    file: &'f FilePatch<'a>,
    problems: &'f mut Vec<Problem>,
}

impl FileCheck<'_, '_> {
    fn report(&mut self, kind: ProblemKind, message: String) {
        let path = Some(self.file.display_path().to_string());
        self.problems.push(Problem { kind, line: self.file.start_line, path, message });
    }

    fn paths(&mut self) {
        let header = &self.file.header;
        let declared = [
            self.file.old_path.as_ref(),
            self.file.new_path.as_ref(),
            header.rename_from.as_ref(),
            header.rename_to.as_ref(),
            header.copy_from.as_ref(),
            header.copy_to.as_ref(),
        ];
        for path in declared.into_iter().flatten() {
            if let Err(error) = RepoPath::parse(path) {
                let message = format!("unsafe path {:?}: {error}", display_safe(path, 200));
                self.report(ProblemKind::UnsafePath, message);
            }
        }
        if self.file.old_path.is_none() && self.file.new_path.is_none() {
            self.report(ProblemKind::Malformed, "file patch without any path".into());
        }
        let renamed_elsewhere = |declared: &Option<String>, seen: &Option<String>| matches!((declared, seen), (Some(declared), Some(seen)) if declared != seen);
        let header = &self.file.header;
        if renamed_elsewhere(&header.rename_from, &self.file.old_path)
            || renamed_elsewhere(&header.rename_to, &self.file.new_path)
        {
            self.report(
                ProblemKind::MetadataInconsistent,
                "rename lines name other paths than the patch".into(),
            );
        }
    }

    fn markers(&mut self) {
        let header = &self.file.header;
        let has_markers = header.saw_old_marker && header.saw_new_marker;
        if !self.file.hunks.is_empty() && !has_markers {
            self.report(ProblemKind::Malformed, "hunks without both `---` and `+++` lines".into());
        }
        if !header.git_style && !header.saw_new_marker {
            self.report(ProblemKind::Malformed, "`---` line without a `+++` line".into());
        }
    }

    fn modes(&mut self) {
        let header = &self.file.header;
        let fields =
            [&header.old_mode, &header.new_mode, &header.new_file_mode, &header.deleted_file_mode];
        let invalid: Vec<String> = fields
            .iter()
            .copied()
            .flatten()
            .chain(header.index.as_ref().and_then(|index| index.mode.as_ref()))
            .filter_map(|field| match field {
                ModeField::Invalid(raw) => Some(display_safe(raw, 20)),
                ModeField::Valid(_) => None,
            })
            .collect();
        for raw in invalid {
            self.report(
                ProblemKind::MetadataInconsistent,
                format!("mode {raw:?} is not one git records"),
            );
        }
        let contradiction = if header.new_file_mode.is_some() && header.deleted_file_mode.is_some()
        {
            Some("the file is declared both new and deleted")
        } else if header.old_mode.is_some() != header.new_mode.is_some() {
            Some("`old mode` and `new mode` must come together")
        } else if header.old_mode.is_some() && header.old_mode == header.new_mode {
            Some("a mode change to the same mode")
        } else if header.new_file_mode.is_some() && header.old_mode.is_some() {
            Some("a new file cannot have an old mode")
        } else {
            None
        };
        if let Some(message) = contradiction {
            self.report(ProblemKind::MetadataInconsistent, message.into());
        }
    }

    fn index(&mut self) {
        let Some(index) = self.file.header.index.clone() else { return };
        let is_hash =
            |h: &str| (7..=64).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit());
        if !is_hash(&index.old_hash)
            || !is_hash(&index.new_hash)
            || index.old_hash.len() != index.new_hash.len()
        {
            self.report(
                ProblemKind::MetadataInconsistent,
                "`index` line without two object ids".into(),
            );
            return;
        }
        let zero = |h: &str| h.bytes().all(|b| b == b'0');
        let header = &self.file.header;
        let change = self.file.change();
        let message = match change {
            ChangeKind::Added if !zero(&index.old_hash) => {
                Some("a new file whose old object id is not zero")
            }
            ChangeKind::Deleted if !zero(&index.new_hash) => {
                Some("a deleted file whose new object id is not zero")
            }
            ChangeKind::Modified if zero(&index.old_hash) || zero(&index.new_hash) => {
                Some("a modified file with a zero object id")
            }
            _ if index.old_hash == index.new_hash && !self.file.hunks.is_empty() => {
                Some("`index` says the content did not change, but hunks change it")
            }
            _ if index.mode.is_some() && header.old_mode.is_some() => {
                Some("`index` carries a mode although the mode changed")
            }
            _ => None,
        };
        let declared = header.new_file_mode.as_ref().or(header.deleted_file_mode.as_ref());
        let disagrees = matches!((declared, index.mode.as_ref()), (Some(a), Some(b)) if a != b);
        if let Some(message) = message {
            self.report(ProblemKind::MetadataInconsistent, message.into());
        } else if disagrees {
            self.report(
                ProblemKind::MetadataInconsistent,
                "`index` mode differs from the declared mode".into(),
            );
        }
    }

    fn hunks(&mut self) {
        let change = self.file.change();
        let mut previous_end = 0u64;
        for hunk in &self.file.hunks {
            let wrong_side = match change {
                ChangeKind::Added => hunk.old_count != 0 || hunk.count(LineKind::Removed) > 0,
                ChangeKind::Deleted => hunk.new_count != 0 || hunk.count(LineKind::Added) > 0,
                _ => false,
            };
            if wrong_side {
                let message =
                    format!("a {} file with a hunk that changes the other side", change.as_str());
                self.report(ProblemKind::MetadataInconsistent, message);
            }
            let start = u64::from(hunk.old_start);
            if start < previous_end || (hunk.old_start == 0 && hunk.old_count != 0) {
                self.report(ProblemKind::Malformed, "hunks overlap or are out of order".into());
            }
            previous_end = start + u64::from(hunk.old_count);
        }
    }

    fn symlink(&mut self) {
        if self.file.resulting_mode() != Some(FileMode::Symlink) {
            return;
        }
        let target = self
            .file
            .hunks
            .iter()
            .flat_map(|hunk| hunk.lines.iter())
            .find(|line| line.kind == LineKind::Added)
            .map(|line| String::from_utf8_lossy(line.text).into_owned());
        if let Some(target) = target
            && symlink_escapes(self.file.display_path(), &target)
        {
            let message = format!(
                "symlink to {:?} points outside the repository",
                display_safe(&target, 200)
            );
            self.report(ProblemKind::SymlinkEscape, message);
        }
    }
}

/// Whether a symlink at `link` pointing at `target` resolves outside the work tree or into
/// `.git`, judged from the text alone (nothing is resolved on disk).
fn symlink_escapes(link: &str, target: &str) -> bool {
    if target.starts_with(['/', '~', '\\']) || target.get(1..2) == Some(":") {
        return true;
    }
    let mut depth = link.split('/').filter(|part| !part.is_empty()).count().saturating_sub(1);
    for part in target.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if depth == 0 => return true,
            ".." => depth -= 1,
            name if name.eq_ignore_ascii_case(".git") => return true,
            _ => depth += 1,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_symlink_inside_the_repository_is_fine() {
        assert!(!symlink_escapes("docs/README.md", "../README.md"));
        assert!(!symlink_escapes("a/b/link", "../c/../d"));
    }

    #[test]
    fn symlinks_out_of_the_repository_or_into_git_escape() {
        assert!(symlink_escapes("link", "../outside"));
        assert!(symlink_escapes("docs/link", "../../home/user/.ssh/id_rsa"));
        assert!(symlink_escapes("link", "/etc/shadow"));
        assert!(symlink_escapes("link", ".git/config"));
    }

    #[test]
    fn limits_refuse_zero_and_tiny_values() {
        assert_eq!(Limits::new(0, 1, 100), Err(LimitsError));
        assert_eq!(Limits::new(1, 1, 10), Err(LimitsError));
        assert!(Limits::new(1, 1, 80).is_ok());
    }
}
