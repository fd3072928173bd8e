//! Hunk headers (`@@ -a,b +c,d @@ section`) and the bookkeeping of a hunk's body: how many old
//! and new lines the header promised and how many are still owed.
//!
//! It must not guess: a header that does not parse is reported by the caller as malformed, and a
//! body that runs short or long is a count mismatch, never silently repaired.

/// The ranges a hunk header declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct HunkRange {
    pub old_start: u32,
    pub old_count: u32,
    pub new_start: u32,
    pub new_count: u32,
}

/// Parses the part of a `@@` line after the leading `@@ `.
pub(super) fn parse_hunk_header(rest: &[u8]) -> Option<HunkRange> {
    let text = std::str::from_utf8(rest).ok()?;
    let mut parts = text.split(' ');
    let old = parts.next()?.strip_prefix('-')?;
    let new = parts.next()?.strip_prefix('+')?;
    if parts.next() != Some("@@") {
        return None;
    }
    let (old_start, old_count) = parse_range(old)?;
    let (new_start, new_count) = parse_range(new)?;
    Some(HunkRange { old_start, old_count, new_start, new_count })
}

/// `start[,count]`; a missing count means one line.
fn parse_range(text: &str) -> Option<(u32, u32)> {
    let (start, count) = match text.split_once(',') {
        Some((start, count)) => (start, count),
        None => (text, "1"),
    };
    let digits = |s: &str| !s.is_empty() && s.len() <= 10 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(start) || !digits(count) {
        return None;
    }
    Some((start.parse().ok()?, count.parse().ok()?))
}

/// Lines a hunk still owes its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Remaining {
    pub old: u32,
    pub new: u32,
}

impl Remaining {
    pub fn is_done(self) -> bool {
        self.old == 0 && self.new == 0
    }

    /// Takes one line of the given kind; `false` when the header did not allow it.
    pub fn take(&mut self, old: bool, new: bool) -> bool {
        if (old && self.old == 0) || (new && self.new == 0) {
            return false;
        }
        self.old -= u32::from(old);
        self.new -= u32::from(new);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_default_to_one_when_omitted() {
        let range = parse_hunk_header(b"-3 +3,2 @@ fn main()");
        assert_eq!(
            range,
            Some(HunkRange { old_start: 3, old_count: 1, new_start: 3, new_count: 2 })
        );
    }

    #[test]
    fn a_header_without_closing_at_signs_or_with_signs_in_numbers_is_refused() {
        assert_eq!(parse_hunk_header(b"-1,2 +1,2"), None);
        assert_eq!(parse_hunk_header(b"-1,-2 +1,2 @@"), None);
        assert_eq!(parse_hunk_header(b"-99999999999 +1 @@"), None);
    }

    #[test]
    fn a_hunk_refuses_lines_its_header_did_not_promise() {
        let mut remaining = Remaining { old: 1, new: 0 };
        assert!(!remaining.take(false, true));
        assert!(remaining.take(true, false));
        assert!(remaining.is_done());
    }
}
