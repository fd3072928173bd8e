//! One result as a self-contained HTML page: inline styles, no script, no external resource, and
//! a Content-Security-Policy that forbids both, so the page can be stored and served as is.
//!
//! Every string is escaped for HTML text and attributes after `display_safe`; the page must not
//! contain anything from the diff that a browser would interpret.

use std::fmt::Write;

use crate::report::{Decision, Finding, Report};
use crate::text::display_safe;

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;\
color:#1b1f24;padding:0 1em}h1{font-size:1.4em}.pass{color:#1a7f37}.fail{color:#cf222e}\
.error{color:#8250df}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid \
#d0d7de;padding:.4em;text-align:left;vertical-align:top}code,pre{font:12px ui-monospace,monospace;\
white-space:pre-wrap;word-break:break-all}.blocking{background:#ffebe9}.muted{color:#57606a}";

/// The report as a complete HTML document.
pub fn html(report: &Report) -> String {
    let (word, class) = match report.decision {
        Decision::Pass => ("Pass", "pass"),
        Decision::Fail => ("Fail", "fail"),
        Decision::Error => ("Error", "error"),
    };
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">");
    let _ = write!(out, "<title>diffscan: {word}</title><style>{STYLE}</style></head><body>");
    let _ = write!(
        out,
        "<h1>palisade diffscan: <span class=\"{class}\">{word}</span></h1><p>{} blocking of {} findings{}</p>",
        report.blocking_count(),
        report.findings.len() + report.omitted_findings,
        if report.degraded { " — degraded: fail-open after an error" } else { "" }
    );
    summary(&mut out, report);
    for error in &report.errors {
        let _ = write!(out, "<p class=\"error\">Error: {}</p>", escape(&error.message));
    }
    findings_table(&mut out, report);
    for expired in &report.expired_exceptions {
        let _ = write!(
            out,
            "<p class=\"muted\">Expired exception {} on <code>{}</code> (expired {}; {}) no longer applies.</p>",
            escape(&expired.rule),
            escape(&expired.path),
            expired.expired_on,
            escape(&expired.reason)
        );
    }
    out.push_str("</body></html>\n");
    out
}

fn summary(out: &mut String, report: &Report) {
    let stats = &report.stats;
    let _ = write!(
        out,
        "<table><tr><th>Diff</th><td><code>sha256:{}</code> ({} bytes): {} files, {} hunks, +{} −{}</td></tr>\
         <tr><th>Profile</th><td>{} (blocks {} and up)</td></tr>\
         <tr><th>Engine</th><td>{} {} — rules <code>{}</code></td></tr></table>",
        escape(&report.subject.sha256),
        report.subject.bytes,
        stats.files,
        stats.hunks,
        stats.added_lines,
        stats.removed_lines,
        escape(&report.policy.profile),
        escape(&report.policy.block_at),
        escape(&report.engine.name),
        escape(&report.engine.version),
        escape(&report.engine.rules_digest),
    );
}

fn findings_table(out: &mut String, report: &Report) {
    if report.findings.is_empty() {
        out.push_str("<p>No findings.</p>");
        return;
    }
    out.push_str("<h2>Findings</h2><table><tr><th>Status</th><th>Severity</th><th>Rule</th><th>Where</th><th>What</th></tr>");
    for finding in &report.findings {
        finding_row(out, report, finding);
    }
    out.push_str("</table>");
}

fn finding_row(out: &mut String, report: &Report, finding: &Finding) {
    let class = if finding.blocking { " class=\"blocking\"" } else { "" };
    let status = if finding.blocking { "blocking" } else { finding.status.as_str() };
    let fix = report
        .rule(&finding.rule_id)
        .map(|rule| format!("<br><span class=\"muted\">Fix: {}</span>", escape(&rule.remediation)))
        .unwrap_or_default();
    let reason = finding
        .suppression
        .as_ref()
        .map(|s| format!("<br><span class=\"muted\">Reason: {}</span>", escape(&s.reason)))
        .unwrap_or_default();
    let _ = write!(
        out,
        "<tr{class}><td>{status}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td>\
         <td>{}<pre>{}</pre>{reason}{fix}</td></tr>",
        finding.severity.as_str(),
        escape(&finding.rule_id),
        escape(&super::text::location(finding)),
        escape(&finding.message),
        escape(&finding.snippet),
    );
}

/// HTML-escapes display-safe text for use in element content and quoted attributes.
fn escape(text: &str) -> String {
    let safe = display_safe(text, 4_096);
    let mut out = String::with_capacity(safe.len());
    for c in safe.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_hidden_characters_are_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("a\u{202E}b"), "a&lt;U+202E&gt;b");
    }
}
