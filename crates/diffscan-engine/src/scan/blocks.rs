//! Added hunk blocks: maximal runs of added lines that are adjacent in the new file, joined with
//! `\n`, so that a rule sees a PEM key or a multi-line workflow step whole, not line by line.
//! Also the file's visible new-side lines (context and added), for suppressions and rules that
//! need the surrounding file.

use crate::diff::{FilePatch, LineKind};

/// Added lines adjacent in the new file, as one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AddedBlock {
    /// New-file line number of the block's first line.
    pub first_line: u32,
    pub text: Vec<u8>,
    /// Byte offset in `text` where each line starts.
    pub line_starts: Vec<usize>,
}

impl AddedBlock {
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The index of the line holding byte `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset).saturating_sub(1)
    }

    /// The line's bytes, without the joining `\n`.
    pub fn line(&self, index: usize) -> &[u8] {
        let start = self.line_starts.get(index).copied().unwrap_or(self.text.len());
        let end = self.line_starts.get(index + 1).map_or(self.text.len(), |next| next - 1);
        &self.text[start..end.max(start)]
    }

    pub fn line_start(&self, index: usize) -> usize {
        self.line_starts.get(index).copied().unwrap_or(self.text.len())
    }

    pub fn line_number(&self, index: usize) -> u32 {
        self.first_line.saturating_add(u32::try_from(index).unwrap_or(u32::MAX))
    }

    fn push_line(&mut self, line: &[u8]) {
        if !self.line_starts.is_empty() {
            self.text.push(b'\n');
        }
        self.line_starts.push(self.text.len());
        self.text.extend_from_slice(line);
    }
}

/// The file's added blocks, in order.
pub(crate) fn added_blocks(file: &FilePatch<'_>) -> Vec<AddedBlock> {
    let mut blocks = Vec::new();
    for hunk in &file.hunks {
        let mut new_line = hunk.new_start;
        let mut current: Option<AddedBlock> = None;
        for line in &hunk.lines {
            match line.kind {
                LineKind::Added => {
                    let block = current.get_or_insert_with(|| AddedBlock {
                        first_line: new_line,
                        text: Vec::new(),
                        line_starts: Vec::new(),
                    });
                    block.push_line(line.text);
                    new_line = new_line.saturating_add(1);
                }
                // A removed line does not move the new file, so it does not split a block.
                LineKind::Removed => {}
                LineKind::Context => {
                    blocks.extend(current.take());
                    new_line = new_line.saturating_add(1);
                }
            }
        }
        blocks.extend(current.take());
    }
    blocks
}

/// A new-side line the diff shows: its number, text, and whether this change adds it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VisibleLine<'a> {
    pub number: u32,
    pub text: &'a [u8],
    pub added: bool,
}

/// Every new-side line the diff shows for the file (context and added), in order.
pub(crate) fn visible_lines<'a>(file: &FilePatch<'a>) -> Vec<VisibleLine<'a>> {
    let mut lines = Vec::new();
    for hunk in &file.hunks {
        let mut number = hunk.new_start;
        for line in &hunk.lines {
            if line.kind == LineKind::Removed {
                continue;
            }
            lines.push(VisibleLine {
                number,
                text: line.text,
                added: line.kind == LineKind::Added,
            });
            number = number.saturating_add(1);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{ParseLimits, parse};

    const LIMITS: ParseLimits = ParseLimits { max_files: 10, max_line_bytes: 1000 };

    #[test]
    fn adjacent_added_lines_form_one_block_across_removed_lines() {
        let text = b"--- a/k\n+++ b/k\n@@ -1,3 +1,5 @@\n keep\n-old\n+one\n+two\n keep\n+three\n";
        let diff = parse(text, &LIMITS);
        let blocks = added_blocks(&diff.files[0]);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].text, b"one\ntwo");
        assert_eq!(blocks[0].first_line, 2);
        assert_eq!(blocks[1].first_line, 5);
        assert_eq!(blocks[0].line(1), b"two");
        assert_eq!(blocks[0].line_index(4), 1);
    }

    #[test]
    fn visible_lines_number_the_new_file() {
        let text = b"--- a/k\n+++ b/k\n@@ -10,2 +10,2 @@\n keep\n-old\n+new\n";
        let diff = parse(text, &LIMITS);
        let lines = visible_lines(&diff.files[0]);
        let numbers: Vec<(u32, bool)> = lines.iter().map(|l| (l.number, l.added)).collect();
        assert_eq!(numbers, vec![(10, false), (11, true)]);
    }
}
