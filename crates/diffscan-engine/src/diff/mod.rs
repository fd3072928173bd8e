//! The model of a unified diff as git writes it, and the parser that builds it from hostile bytes.
//!
//! It owns the shape of a diff: file patches with their extended headers (modes, renames, copies,
//! `index`, binary markers) and hunks of context, removed and added lines. The parser never fails
//! and never panics: whatever does not fit the grammar becomes a [`Problem`] that the verifier and
//! the policy turn into findings. It must not interpret content (no rules here), follow a path or
//! touch the file system.

mod header;
mod hunk;
mod parse;
mod path;

pub use parse::{ParseLimits, parse};
pub use path::{PathError, RepoPath, unquote_c_style};

/// A parsed diff: its file patches in order and what did not fit the grammar.
#[derive(Debug, Default)]
pub struct Diff<'a> {
    pub files: Vec<FilePatch<'a>>,
    pub problems: Vec<Problem>,
    /// Lines outside any file patch (commit headers and messages of `git log -p`, mail headers).
    pub preamble_lines: usize,
    /// The parser stopped at `ParseLimits::max_files`; the rest of the input was not read.
    pub truncated: bool,
}

/// One file's part of the diff: `diff --git` (or `---`/`+++`) through its last hunk.
#[derive(Debug, Default)]
pub struct FilePatch<'a> {
    /// Paths as written (lossy UTF-8, C-style quoting undone, `a/`/`b/` prefixes removed);
    /// `None` for the `/dev/null` side of an added or deleted file.
    pub old_path: Option<String>,
    pub new_path: Option<String>,
    pub header: Header,
    pub hunks: Vec<Hunk<'a>>,
    /// 1-based line of the diff where this patch starts.
    pub start_line: usize,
}

/// The extended header lines of a file patch, as declared.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Header {
    pub git_style: bool,
    pub old_mode: Option<ModeField>,
    pub new_mode: Option<ModeField>,
    pub deleted_file_mode: Option<ModeField>,
    pub new_file_mode: Option<ModeField>,
    pub rename_from: Option<String>,
    pub rename_to: Option<String>,
    pub copy_from: Option<String>,
    pub copy_to: Option<String>,
    pub similarity: Option<u8>,
    pub index: Option<IndexLine>,
    /// `Binary files … differ` or `GIT binary patch`.
    pub binary: bool,
    pub saw_old_marker: bool,
    pub saw_new_marker: bool,
}

/// A mode as it appeared in a header: parsed when it is one git writes, raw otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModeField {
    Valid(FileMode),
    Invalid(String),
}

impl ModeField {
    pub fn valid(&self) -> Option<FileMode> {
        match self {
            ModeField::Valid(mode) => Some(*mode),
            ModeField::Invalid(_) => None,
        }
    }
}

/// A file mode git can record: regular, executable, symlink or gitlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileMode {
    Regular,
    /// `100664`, written by very old git for group-writable files.
    GroupWritable,
    Executable,
    Symlink,
    Gitlink,
}

impl FileMode {
    pub fn parse(text: &str) -> Result<FileMode, InvalidMode> {
        match text {
            "100644" => Ok(FileMode::Regular),
            "100664" => Ok(FileMode::GroupWritable),
            "100755" => Ok(FileMode::Executable),
            "120000" => Ok(FileMode::Symlink),
            "160000" => Ok(FileMode::Gitlink),
            other => Err(InvalidMode(other.chars().take(16).collect())),
        }
    }

    pub fn as_octal(self) -> &'static str {
        match self {
            FileMode::Regular => "100644",
            FileMode::GroupWritable => "100664",
            FileMode::Executable => "100755",
            FileMode::Symlink => "120000",
            FileMode::Gitlink => "160000",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a file mode git records")]
pub struct InvalidMode(pub String);

/// `index <old>..<new> [<mode>]`, kept as written; the verifier checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexLine {
    pub old_hash: String,
    pub new_hash: String,
    pub mode: Option<ModeField>,
    pub line: usize,
}

/// What happened to the file, derived from the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Deleted,
    Modified,
    Renamed,
    Copied,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Deleted => "deleted",
            ChangeKind::Modified => "modified",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Copied => "copied",
        }
    }
}

impl FilePatch<'_> {
    pub fn change(&self) -> ChangeKind {
        let header = &self.header;
        if header.new_file_mode.is_some() || (self.old_path.is_none() && self.new_path.is_some()) {
            ChangeKind::Added
        } else if header.deleted_file_mode.is_some() || self.new_path.is_none() {
            ChangeKind::Deleted
        } else if header.rename_from.is_some() || header.rename_to.is_some() {
            ChangeKind::Renamed
        } else if header.copy_from.is_some() || header.copy_to.is_some() {
            ChangeKind::Copied
        } else {
            ChangeKind::Modified
        }
    }

    /// The path a reader knows the file by after the change (the old one for a deletion).
    pub fn display_path(&self) -> &str {
        self.new_path.as_deref().or(self.old_path.as_deref()).unwrap_or("")
    }

    /// The mode the file has after the change, when the header says so.
    pub fn resulting_mode(&self) -> Option<FileMode> {
        let header = &self.header;
        let declared = header.new_file_mode.as_ref().or(header.new_mode.as_ref());
        declared
            .or(header.index.as_ref().and_then(|index| index.mode.as_ref()))
            .and_then(ModeField::valid)
    }

    pub fn added_line_count(&self) -> usize {
        self.hunks.iter().map(|hunk| hunk.count(LineKind::Added)).sum()
    }

    pub fn removed_line_count(&self) -> usize {
        self.hunks.iter().map(|hunk| hunk.count(LineKind::Removed)).sum()
    }
}

/// One `@@ -a,b +c,d @@` hunk and its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk<'a> {
    pub old_start: u32,
    pub old_count: u32,
    pub new_start: u32,
    pub new_count: u32,
    /// 1-based line of the diff holding the `@@` header.
    pub header_line: usize,
    pub lines: Vec<HunkLine<'a>>,
}

impl Hunk<'_> {
    pub fn count(&self, kind: LineKind) -> usize {
        self.lines.iter().filter(|line| line.kind == kind).count()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Context,
    Removed,
    Added,
}

/// A line of a hunk without its prefix and line ending; `text` is capped at the line limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HunkLine<'a> {
    pub kind: LineKind,
    pub text: &'a [u8],
    /// `\ No newline at end of file` followed this line.
    pub no_newline_at_eof: bool,
}

/// Something in the diff that breaks the grammar or a consistency rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// 1-based line of the diff.
    pub line: usize,
    pub path: Option<String>,
    pub message: String,
}

/// The kinds of [`Problem`]; each maps to one integrity rule of the built-in pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    Malformed,
    HunkCountMismatch,
    UnsafePath,
    MetadataInconsistent,
    LineTooLong,
    SymlinkEscape,
    BinaryContent,
}
