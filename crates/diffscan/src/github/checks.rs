//! The check run of a scanned pull request: created `in_progress` when its scan starts, then
//! completed with the decision as its conclusion (`pass` → `success`; `fail` and `error` →
//! `failure`; a fail-open result that rests on a partial scan → `neutral`, with a banner saying
//! so), a Markdown summary, and annotations on the changed lines.
//!
//! GitHub takes at most 50 annotations per request, so the completion is a list of requests: the
//! first completes the run with the first 50, each further one adds 50 more (GitHub appends
//! annotations across updates). Every string taken from the diff is escaped for Markdown in the
//! summary (a path could otherwise carry a link or an image), and cut to GitHub's limits.

use diffscan_engine::report::Report;
use diffscan_engine::{Decision, Finding, FindingStatus};
use serde_json::{Value, json};

/// GitHub's limit of annotations per create or update request.
pub const ANNOTATIONS_PER_REQUEST: usize = 50;
/// Annotations sent per check run at most; the rest are counted in the summary.
pub const MAX_ANNOTATIONS: usize = 500;
/// GitHub's limit on the summary and text of a check run's output (65 535 characters).
const MAX_OUTPUT_CHARS: usize = 60_000;
const MAX_TITLE_CHARS: usize = 255;
const MAX_MESSAGE_CHARS: usize = 4_000;
const LISTED_BLOCKING: usize = 20;

/// The check run's conclusion for a decision.
pub fn conclusion(decision: Decision, degraded: bool) -> &'static str {
    match (decision, degraded) {
        (Decision::Fail | Decision::Error, _) => "failure",
        (Decision::Pass, true) => "neutral",
        (Decision::Pass, false) => "success",
    }
}

/// The body that creates the check run, `in_progress`.
pub fn started(name: &str, head_sha: &str, external_id: &str, details_url: &str) -> Value {
    json!({
        "name": name,
        "head_sha": head_sha,
        "status": "in_progress",
        "external_id": external_id,
        "details_url": details_url,
        "started_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "output": {
            "title": "Scanning the diff",
            "summary": "Palisade Diffscan is scanning this pull request's diff.",
        },
    })
}

/// What a completed check run reports.
#[derive(Debug, Clone, Copy)]
pub struct Completion<'a> {
    pub decision: Decision,
    pub degraded: bool,
    /// Why the service could not scan (a failed scan has no report).
    pub failure: Option<&'a str>,
    pub report: Option<&'a Report>,
    pub details_url: &'a str,
}

/// The requests that complete the check run: the first sets the conclusion; each carries at
/// most [`ANNOTATIONS_PER_REQUEST`] annotations.
pub fn completion_requests(completion: &Completion<'_>) -> Vec<Value> {
    let findings: Vec<&Finding> = completion
        .report
        .map(|report| report.findings.iter().filter(|f| annotated(f)).collect())
        .unwrap_or_default();
    let annotations: Vec<Value> =
        findings.iter().take(MAX_ANNOTATIONS).filter_map(|f| annotation(f)).collect();
    let title = title(completion);
    let summary = summary(completion, findings.len().saturating_sub(MAX_ANNOTATIONS));
    let mut chunks: Vec<&[Value]> = annotations.chunks(ANNOTATIONS_PER_REQUEST).collect();
    if chunks.is_empty() {
        chunks.push(&[]);
    }
    chunks
        .into_iter()
        .enumerate()
        .map(|(index, batch)| {
            let output = json!({ "title": title, "summary": summary, "annotations": batch });
            if index == 0 {
                json!({
                    "status": "completed",
                    "conclusion": conclusion(completion.decision, completion.degraded),
                    "completed_at":
                        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    "details_url": completion.details_url,
                    "output": output,
                })
            } else {
                json!({ "output": output })
            }
        })
        .collect()
}

/// Open findings on a line of a file are annotated; accepted ones only counted.
fn annotated(finding: &Finding) -> bool {
    finding.status == FindingStatus::Open && finding.path.is_some()
}

fn annotation(finding: &Finding) -> Option<Value> {
    let path = finding.path.as_deref()?;
    let start = finding.start_line.unwrap_or(1).max(1);
    let end = finding.end_line.unwrap_or(start).max(start);
    let level = if finding.blocking {
        "failure"
    } else if finding.severity >= diffscan_engine::rules::Severity::Medium {
        "warning"
    } else {
        "notice"
    };
    let message = format!(
        "{} ({}, {} confidence){}",
        finding.message,
        finding.severity.as_str(),
        finding.confidence.as_str(),
        if finding.blocking { " — blocks the merge" } else { "" }
    );
    Some(json!({
        "path": path,
        "start_line": start,
        "end_line": end,
        "annotation_level": level,
        "title": cut(&format!("{}: {}", finding.rule_id, finding.title), MAX_TITLE_CHARS),
        "message": cut(&message, MAX_MESSAGE_CHARS),
        "raw_details": cut(&finding.snippet, MAX_MESSAGE_CHARS),
    }))
}

fn title(completion: &Completion<'_>) -> String {
    let blocking = completion.report.map_or(0, Report::blocking_count);
    match (completion.decision, completion.degraded) {
        (Decision::Fail, _) => format!("Blocked: {blocking} blocking finding(s)"),
        (Decision::Error, _) => "Blocked: the diff could not be scanned (fail-closed)".into(),
        (Decision::Pass, true) => "Not verified: the scan was partial (fail-open)".into(),
        (Decision::Pass, false) => "Passed: no blocking finding".into(),
    }
}

fn summary(completion: &Completion<'_>, unannotated: usize) -> String {
    let mut out = String::new();
    if completion.degraded {
        out.push_str(
            "> **Warning: fail-open.** The scan could not look at the whole diff, and this \
             tenant's policy lets that through. This result is *not* a pass: review the \
             change yourself.\n\n",
        );
    }
    if let Some(failure) = completion.failure {
        out.push_str(&format!("The diff could not be scanned: {}\n\n", md(failure)));
    }
    if let Some(report) = completion.report {
        summarize_report(report, &mut out, unannotated);
    }
    out.push_str(&format!("Full result: {}\n", completion.details_url));
    cut(&out, MAX_OUTPUT_CHARS)
}

fn summarize_report(report: &Report, out: &mut String, unannotated: usize) {
    let count =
        |status: FindingStatus| report.findings.iter().filter(|f| f.status == status).count();
    out.push_str(&format!(
        "**Decision: {}** under profile `{}` (blocks {} and above).\n\n",
        report.decision.as_str(),
        md(&report.policy.profile),
        md(&report.policy.block_at),
    ));
    out.push_str("| findings | blocking | open | suppressed | excepted | baselined |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    out.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} |\n\n",
        report.findings.len() + report.omitted_findings,
        report.blocking_count(),
        count(FindingStatus::Open),
        count(FindingStatus::Suppressed),
        count(FindingStatus::Excepted),
        count(FindingStatus::Baselined),
    ));
    for error in &report.errors {
        out.push_str(&format!("- Scan error: {}\n", md(&error.message)));
    }
    let blocking: Vec<&Finding> = report.findings.iter().filter(|f| f.blocking).collect();
    if !blocking.is_empty() {
        out.push_str("\nBlocking findings:\n\n");
        for finding in blocking.iter().take(LISTED_BLOCKING) {
            let place = match (&finding.path, finding.start_line) {
                (Some(path), Some(line)) => format!("{}:{line}", md(path)),
                (Some(path), None) => md(path),
                (None, _) => "the diff".to_string(),
            };
            out.push_str(&format!(
                "- **{}** `{}` at {place}\n",
                md(&finding.title),
                md(&finding.rule_id)
            ));
        }
        if blocking.len() > LISTED_BLOCKING {
            out.push_str(&format!("- and {} more\n", blocking.len() - LISTED_BLOCKING));
        }
    }
    for expired in &report.expired_exceptions {
        out.push_str(&format!(
            "\n- Exception for `{}` on `{}` expired on {}; it no longer applies.",
            md(&expired.rule),
            md(&expired.path),
            expired.expired_on
        ));
    }
    if unannotated > 0 {
        out.push_str(&format!("\n\n{unannotated} more finding(s) are not annotated here."));
    }
    out.push_str("\n\n");
}

/// Text made inert for Markdown: characters with a meaning there are escaped, line breaks and
/// controls dropped.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().take(500) {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '.'
            | '!' | '|' | '<' | '>' | '~' | '&' | '"' | '\'' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conclusions_follow_the_decision_and_fail_open_is_neutral() {
        assert_eq!(conclusion(Decision::Pass, false), "success");
        assert_eq!(conclusion(Decision::Fail, false), "failure");
        assert_eq!(conclusion(Decision::Error, false), "failure");
        assert_eq!(conclusion(Decision::Pass, true), "neutral");
        assert_eq!(conclusion(Decision::Fail, true), "failure");
    }

    #[test]
    fn markdown_from_a_diff_cannot_link_or_embed() {
        let path = "x](https://evil.test/p.png)![img](https://evil.test/q)<img src=x>`code`";
        let shown = md(path);
        assert!(!shown.contains("]("), "{shown}");
        assert!(shown.contains("\\<img") && !shown.contains(" <img"), "{shown}");
        assert_eq!(shown.matches('<').count(), shown.matches("\\<").count(), "{shown}");
        assert_eq!(md("a\nb"), "a b");
    }

    #[test]
    fn a_failed_scan_without_a_report_still_completes_with_one_request() {
        let completion = Completion {
            decision: Decision::Pass,
            degraded: true,
            failure: Some("GitHub answered HTTP 404"),
            report: None,
            details_url: "https://palisade.test/v1/diffscans/x/report.html",
        };
        let requests = completion_requests(&completion);
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0]["conclusion"], "neutral");
        let summary = requests[0]["output"]["summary"].as_str().unwrap();
        assert!(summary.contains("fail-open"), "{summary}");
        assert!(summary.contains("HTTP 404"), "{summary}");
    }
}
