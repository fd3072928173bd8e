//! The terminal renderer: the decision first, then blocking findings, then the rest, each with
//! where it is, what it matched (redacted) and how to fix it.
//!
//! Every string is passed through `display_safe` again, so a hostile report cannot move the
//! cursor, recolour the terminal or reorder a line; colour, when asked for, is added only here.

use std::fmt::Write;

use crate::report::{Decision, Finding, FindingStatus, Report};
use crate::text::display_safe;

/// Whether to colour the output with ANSI escapes (the CLI picks `Ansi` for a terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextStyle {
    Plain,
    Ansi,
}

impl TextStyle {
    fn paint(self, code: &str, text: &str) -> String {
        match self {
            TextStyle::Plain => text.to_string(),
            TextStyle::Ansi => format!("\x1b[{code}m{text}\x1b[0m"),
        }
    }
}

/// The report for a terminal.
pub fn text(report: &Report, style: TextStyle) -> String {
    let mut out = String::new();
    headline(&mut out, report, style);
    let (blocking, rest): (Vec<&Finding>, Vec<&Finding>) =
        report.findings.iter().partition(|finding| finding.blocking);
    for finding in blocking.iter().chain(&rest) {
        finding_block(&mut out, report, finding, style);
    }
    if report.omitted_findings > 0 {
        let _ = writeln!(
            out,
            "\n{} more findings not listed (over 25 of one rule in one file)",
            report.omitted_findings
        );
    }
    for expired in &report.expired_exceptions {
        let _ = writeln!(
            out,
            "\nexpired exception: {} on {} (expired {}, reason: {}) no longer applies",
            safe(&expired.rule),
            safe(&expired.path),
            expired.expired_on,
            safe(&expired.reason)
        );
    }
    for error in &report.errors {
        let _ = writeln!(out, "\n{} {}", style.paint("1;31", "error:"), safe(&error.message));
    }
    out
}

fn headline(out: &mut String, report: &Report, style: TextStyle) {
    let (word, colour) = match report.decision {
        Decision::Pass => ("PASS", "1;32"),
        Decision::Fail => ("FAIL", "1;31"),
        Decision::Error => ("ERROR", "1;35"),
    };
    let degraded = if report.degraded { " (degraded: fail-open after an error)" } else { "" };
    let _ = writeln!(
        out,
        "palisade diffscan: {}{degraded} — {} blocking of {} findings",
        style.paint(colour, word),
        report.blocking_count(),
        report.findings.len() + report.omitted_findings
    );
    let stats = &report.stats;
    let _ = writeln!(
        out,
        "diff sha256:{} ({} bytes): {} files, {} hunks, +{} -{} lines, {} binary",
        safe(&report.subject.sha256),
        report.subject.bytes,
        stats.files,
        stats.hunks,
        stats.added_lines,
        stats.removed_lines,
        stats.binary_files
    );
    let policy = &report.policy;
    let _ = writeln!(
        out,
        "profile {}: blocks {} and up at {} confidence or more; on error {}{}",
        safe(&policy.profile),
        safe(&policy.block_at),
        policy.min_confidence.as_str(),
        if policy.on_error == crate::policy::OnError::FailOpen {
            "fail-open"
        } else {
            "fail-closed"
        },
        if policy.baseline_applied { "; baseline applied" } else { "" }
    );
}

fn finding_block(out: &mut String, report: &Report, finding: &Finding, style: TextStyle) {
    let marker = if finding.blocking {
        style.paint("1;31", "BLOCK")
    } else if finding.status == FindingStatus::Open {
        style.paint("33", "warn ")
    } else {
        style.paint("2", &format!("{:<5}", short_status(finding.status)))
    };
    let _ = writeln!(
        out,
        "\n{marker} {:<8} {}  {}",
        finding.severity.as_str(),
        safe(&finding.rule_id),
        location(finding)
    );
    let _ = writeln!(out, "      {}", safe(&finding.message));
    if !finding.snippet.is_empty() {
        let _ = writeln!(out, "      > {}", safe(&finding.snippet));
    }
    if let Some(suppression) = &finding.suppression {
        let _ = writeln!(out, "      {}: {}", finding.status.as_str(), safe(&suppression.reason));
    }
    if finding.status == FindingStatus::Open
        && let Some(rule) = report.rule(&finding.rule_id)
    {
        let _ = writeln!(out, "      fix: {}", safe(&rule.remediation));
    }
}

fn short_status(status: FindingStatus) -> &'static str {
    match status {
        FindingStatus::Open => "open",
        FindingStatus::Suppressed => "supp",
        FindingStatus::Excepted => "exc",
        FindingStatus::Baselined => "base",
    }
}

/// `path:line[-end]`, `path (diff line N)` or `(diff line N)`.
pub(super) fn location(finding: &Finding) -> String {
    let path = finding.path.as_deref().map(safe).unwrap_or_default();
    match (finding.start_line, finding.end_line, finding.diff_line) {
        (Some(start), Some(end), _) if end > start => format!("{path}:{start}-{end}"),
        (Some(start), _, _) => format!("{path}:{start}"),
        (None, _, Some(line)) if path.is_empty() => format!("(diff line {line})"),
        (None, _, Some(line)) => format!("{path} (diff line {line})"),
        (None, _, None) => path,
    }
}

fn safe(text: &str) -> String {
    display_safe(text, 4_096)
}
