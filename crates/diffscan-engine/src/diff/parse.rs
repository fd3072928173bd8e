//! The line-oriented state machine that turns diff bytes into a [`Diff`].
//!
//! It reads git's output (`git diff`, `git log -p`, `git format-patch`) and plain `diff -u`, and
//! treats every byte as hostile: it never fails, never panics, keeps no more than the limits
//! allow, and reports what does not fit as [`Problem`]s. It must not look at what the content
//! means.

use super::header::{HeaderLine, apply_extended, git_line_paths, marker_path};
use super::hunk::{Remaining, parse_hunk_header};
use super::{Diff, FilePatch, Hunk, HunkLine, LineKind, Problem, ProblemKind};

/// Bounds on what the parser keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseLimits {
    pub max_files: usize,
    /// Longer lines are cut to this many bytes and reported.
    pub max_line_bytes: usize,
}

/// Reports past this many are dropped: a hostile diff must not grow the report without bound.
const MAX_PROBLEMS: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Outside,
    Header,
    Hunk(Remaining),
    AfterHunk {
        reported_stray: bool,
    },
    BinaryPayload,
    /// After a hunk header that did not parse, or inside a combined diff: its lines are skipped
    /// (the problem is already reported).
    Skipping,
}

pub fn parse<'a>(input: &'a [u8], limits: &ParseLimits) -> Diff<'a> {
    let mut parser = Parser {
        limits: *limits,
        diff: Diff::default(),
        current: None,
        state: State::Outside,
        line_no: 0,
    };
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', input).chain(std::iter::once(input.len())) {
        if start > input.len() || (end == input.len() && start == end) {
            break;
        }
        parser.line_no += 1;
        parser.line(&input[start..end]);
        if parser.diff.truncated {
            break;
        }
        start = end + 1;
    }
    parser.finish_file();
    parser.diff
}

struct Parser<'a> {
    limits: ParseLimits,
    diff: Diff<'a>,
    current: Option<FilePatch<'a>>,
    state: State,
    line_no: usize,
}

impl<'a> Parser<'a> {
    fn line(&mut self, raw: &'a [u8]) {
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        let line = self.capped(line);
        let state = self.state;
        match state {
            State::Hunk(remaining) if self.hunk_line(line, remaining) => return,
            State::AfterHunk { .. } if line.starts_with(b"\\") => {
                self.no_newline_marker();
                return;
            }
            State::BinaryPayload if is_binary_payload(line) => return,
            State::Skipping if starts_hunk_body(line) && !line.starts_with(b"--- ") => return,
            _ => {}
        }
        self.header_or_preamble(line);
    }

    fn capped(&mut self, line: &'a [u8]) -> &'a [u8] {
        if line.len() <= self.limits.max_line_bytes {
            return line;
        }
        let message = format!(
            "line of {} bytes exceeds the {}-byte limit",
            line.len(),
            self.limits.max_line_bytes
        );
        self.problem(ProblemKind::LineTooLong, message);
        &line[..self.limits.max_line_bytes]
    }

    /// Takes one line of a hunk's body; `false` hands the line back to be read as a header.
    fn hunk_line(&mut self, line: &'a [u8], mut remaining: Remaining) -> bool {
        let (kind, text) = match line.first() {
            None => (LineKind::Context, line),
            Some(b' ') => (LineKind::Context, &line[1..]),
            Some(b'-') => (LineKind::Removed, &line[1..]),
            Some(b'+') => (LineKind::Added, &line[1..]),
            Some(b'\\') => return self.no_newline_marker(),
            Some(_) => {
                self.short_hunk(remaining);
                return false;
            }
        };
        let (old, new) = (kind != LineKind::Added, kind != LineKind::Removed);
        if !remaining.take(old, new) {
            self.short_hunk(remaining);
            return false;
        }
        if let Some(hunk) = self.current.as_mut().and_then(|file| file.hunks.last_mut()) {
            hunk.lines.push(HunkLine { kind, text, no_newline_at_eof: false });
        }
        self.state = if remaining.is_done() {
            State::AfterHunk { reported_stray: false }
        } else {
            State::Hunk(remaining)
        };
        true
    }

    fn short_hunk(&mut self, remaining: Remaining) {
        let message = format!(
            "hunk ended with {} old and {} new lines still owed to its header",
            remaining.old, remaining.new
        );
        self.problem(ProblemKind::HunkCountMismatch, message);
        self.state = State::AfterHunk { reported_stray: true };
    }

    fn no_newline_marker(&mut self) -> bool {
        let last =
            self.current.as_mut().and_then(|f| f.hunks.last_mut()).and_then(|h| h.lines.last_mut());
        match last {
            Some(line) => line.no_newline_at_eof = true,
            None => self.problem(ProblemKind::Malformed, "`\\` marker before any hunk line".into()),
        }
        true
    }

    fn header_or_preamble(&mut self, line: &'a [u8]) {
        if let Some(rest) = line.strip_prefix(b"diff --git ") {
            self.start_file(true);
            self.git_line(rest);
        } else if line.starts_with(b"diff --cc ") || line.starts_with(b"diff --combined ") {
            self.finish_file();
            let message = "combined diff of a merge: not supported, its content is not scanned";
            self.problem(ProblemKind::Malformed, message.into());
            self.state = State::Skipping;
        } else if let Some(rest) = line.strip_prefix(b"--- ") {
            self.old_marker(rest);
        } else if let Some(rest) = line.strip_prefix(b"+++ ") {
            self.new_marker(rest);
        } else if let Some(rest) = line.strip_prefix(b"@@ ") {
            self.hunk_header(rest);
        } else if self.state == State::Header {
            self.extended_header(line);
        } else {
            self.stray_or_preamble(line);
        }
    }

    fn git_line(&mut self, rest: &[u8]) {
        match git_line_paths(rest) {
            Some((old, new)) => {
                if let Some(file) = self.current.as_mut() {
                    file.old_path = Some(old);
                    file.new_path = Some(new);
                }
            }
            None => {
                self.problem(ProblemKind::Malformed, "`diff --git` line without two paths".into())
            }
        }
    }

    fn old_marker(&mut self, rest: &[u8]) {
        let continues_git_header = self.state == State::Header
            && self
                .current
                .as_ref()
                .is_some_and(|f| f.header.git_style && !f.header.saw_old_marker);
        if !continues_git_header {
            self.start_file(false);
        }
        if let Some(file) = self.current.as_mut() {
            file.header.saw_old_marker = true;
            file.old_path = marker_path(rest, "a/");
        }
    }

    fn new_marker(&mut self, rest: &[u8]) {
        let expected = self.state == State::Header
            && self
                .current
                .as_ref()
                .is_some_and(|f| f.header.saw_old_marker && !f.header.saw_new_marker);
        match self.current.as_mut() {
            Some(file) if expected => {
                file.header.saw_new_marker = true;
                file.new_path = marker_path(rest, "b/");
            }
            _ => self.problem(
                ProblemKind::Malformed,
                "`+++` line without a `---` line before it".into(),
            ),
        }
    }

    fn hunk_header(&mut self, rest: &[u8]) {
        let in_file = matches!(self.state, State::Header | State::AfterHunk { .. });
        let range = parse_hunk_header(rest);
        let (Some(file), true, Some(range)) = (self.current.as_mut(), in_file, range) else {
            self.problem(
                ProblemKind::Malformed,
                "hunk header that does not parse or has no file".into(),
            );
            self.state = State::Skipping;
            return;
        };
        file.hunks.push(Hunk {
            old_start: range.old_start,
            old_count: range.old_count,
            new_start: range.new_start,
            new_count: range.new_count,
            header_line: self.line_no,
            lines: Vec::new(),
        });
        let remaining = Remaining { old: range.old_count, new: range.new_count };
        self.state = if remaining.is_done() {
            State::AfterHunk { reported_stray: false }
        } else {
            State::Hunk(remaining)
        };
    }

    fn extended_header(&mut self, line: &'a [u8]) {
        let line_no = self.line_no;
        let Some(file) = self.current.as_mut() else { return };
        match apply_extended(&mut file.header, line, line_no) {
            HeaderLine::Recognized => {}
            HeaderLine::BinaryPatchStart => self.state = State::BinaryPayload,
            HeaderLine::NotAHeader if !file.header.git_style => self.stray_or_preamble(line),
            HeaderLine::NotAHeader => {
                self.problem(ProblemKind::Malformed, "unrecognized line in a file header".into());
            }
        }
    }

    fn stray_or_preamble(&mut self, line: &[u8]) {
        let looks_like_content = matches!(line.first(), Some(b'+' | b'-')) && line != b"-- ";
        match self.state {
            State::AfterHunk { reported_stray: false } if looks_like_content => {
                let message =
                    "changed lines after a hunk's declared count: hidden from `git apply`";
                self.problem(ProblemKind::HunkCountMismatch, message.into());
                self.state = State::AfterHunk { reported_stray: true };
            }
            State::AfterHunk { reported_stray: true } if looks_like_content => {}
            _ => {
                self.diff.preamble_lines += 1;
                if !matches!(self.state, State::Skipping) {
                    self.state = State::Outside;
                }
            }
        }
    }

    fn start_file(&mut self, git_style: bool) {
        self.finish_file();
        if self.diff.files.len() >= self.limits.max_files {
            self.diff.truncated = true;
            return;
        }
        let mut file = FilePatch { start_line: self.line_no, ..FilePatch::default() };
        file.header.git_style = git_style;
        self.current = Some(file);
        self.state = State::Header;
    }

    fn finish_file(&mut self) {
        if let State::Hunk(remaining) = self.state {
            self.short_hunk(remaining);
        }
        if let Some(file) = self.current.take() {
            self.diff.files.push(file);
        }
        self.state = State::Outside;
    }

    fn problem(&mut self, kind: ProblemKind, message: String) {
        if self.diff.problems.len() >= MAX_PROBLEMS {
            return;
        }
        let path = self.current.as_ref().map(|file| file.display_path().to_string());
        self.diff.problems.push(Problem { kind, line: self.line_no, path, message });
    }
}

fn starts_hunk_body(line: &[u8]) -> bool {
    matches!(line.first(), None | Some(b' ' | b'+' | b'-' | b'\\'))
}

/// `literal N`, `delta N`, the blank separator, or a base85 line (a length letter, then data).
fn is_binary_payload(line: &[u8]) -> bool {
    if line.is_empty() || line.starts_with(b"literal ") || line.starts_with(b"delta ") {
        return true;
    }
    line[0].is_ascii_alphabetic() && line[1..].iter().all(|&b| is_base85(b))
}

fn is_base85(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&()*+-;<=>?@^_`{|}~".contains(&byte)
}
