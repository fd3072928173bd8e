//! SARIF 2.1.0, as GitHub code scanning and other services ingest it: one run, the rules the
//! findings refer to (with `security-severity` and precision), and one result per finding with
//! its location, a `partialFingerprints` entry (our line-independent fingerprint), a
//! `baselineState` when a baseline was applied, and `suppressions` for suppressed and excepted
//! findings. Scan errors become tool execution notifications.
//!
//! It must stay valid against the official schema (`tests/data/sarif-schema-2.1.0.json`, checked
//! in a test); it must not emit a URI that is not a valid relative reference.

use serde_json::{Value, json};

use crate::report::{Finding, FindingStatus, Report, RuleSummary, SuppressionKind};
use crate::rules::{Confidence, Severity};
use crate::text::display_safe;

pub const SARIF_SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://palisade.dev/docs/diffscan";
/// The key of our fingerprint in `partialFingerprints`; versioned in case its recipe changes.
const FINGERPRINT_KEY: &str = "palisadeFindingHash/v1";
/// Where findings about the diff's own structure point: the scanned input.
const DIFF_INPUT_URI: &str = "palisade-diffscan-input.diff";

/// The report as a SARIF log.
pub fn sarif(report: &Report) -> Value {
    let rules: Vec<Value> = report.rules.iter().map(rule).collect();
    let results: Vec<Value> =
        report.findings.iter().map(|finding| result(report, finding)).collect();
    json!({
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "palisade-diffscan",
                "version": safe(&report.engine.version),
                "semanticVersion": safe(&report.engine.version),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "invocations": [invocation(report)],
            "results": results,
            "properties": {
                "decision": report.decision.as_str(),
                "degraded": report.degraded,
                "diffSha256": safe(&report.subject.sha256),
                "rulesDigest": safe(&report.engine.rules_digest),
                "profile": safe(&report.policy.profile),
                "omittedFindings": report.omitted_findings,
            },
        }],
    })
}

fn rule(rule: &RuleSummary) -> Value {
    json!({
        "id": safe(&rule.id),
        "shortDescription": { "text": safe(&rule.title) },
        "fullDescription": { "text": safe(&rule.description) },
        "help": { "text": safe(&rule.remediation) },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "tags": ["security", rule.family.as_str()],
            "security-severity": security_severity(rule.severity),
            "precision": precision(rule.confidence),
        },
    })
}

fn result(report: &Report, finding: &Finding) -> Value {
    let mut result = json!({
        "ruleId": safe(&finding.rule_id),
        "level": level(finding.severity),
        "message": { "text": safe(&finding.message) },
        "partialFingerprints": { FINGERPRINT_KEY: safe(&finding.fingerprint) },
        "properties": {
            "severity": finding.severity.as_str(),
            "confidence": finding.confidence.as_str(),
            "status": finding.status.as_str(),
            "blocking": finding.blocking,
        },
    });
    if let Some(index) = report.rules.iter().position(|rule| rule.id == finding.rule_id) {
        result["ruleIndex"] = json!(index);
    }
    if let Some(location) = location(finding) {
        result["locations"] = json!([location]);
    }
    if report.policy.baseline_applied {
        let state = if finding.status == FindingStatus::Baselined { "unchanged" } else { "new" };
        result["baselineState"] = json!(state);
    }
    if let Some(suppression) = &finding.suppression {
        let kind = match suppression.kind {
            SuppressionKind::Inline => "inSource",
            SuppressionKind::Exception => "external",
        };
        result["suppressions"] = json!([{
            "kind": kind,
            "status": "accepted",
            "justification": safe(&suppression.reason),
        }]);
    }
    result
}

/// A physical location. Code-scanning services drop results without one, so a finding about
/// the diff as a whole points at the input itself, by its line.
fn location(finding: &Finding) -> Option<Value> {
    let Some(path) = finding.path.as_deref() else {
        let line = finding.diff_line.unwrap_or(1).max(1);
        return Some(json!({
            "physicalLocation": {
                "artifactLocation": { "uri": DIFF_INPUT_URI },
                "region": { "startLine": line },
            }
        }));
    };
    let mut region = json!({ "startLine": finding.start_line.unwrap_or(1).max(1) });
    if let (Some(start), Some(end)) = (finding.start_line, finding.end_line)
        && end >= start
    {
        region["endLine"] = json!(end);
    }
    if !finding.snippet.is_empty() {
        region["snippet"] = json!({ "text": safe(&finding.snippet) });
    }
    Some(json!({
        "physicalLocation": {
            "artifactLocation": { "uri": relative_uri(path), "uriBaseId": "%SRCROOT%" },
            "region": region,
        }
    }))
}

fn invocation(report: &Report) -> Value {
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|error| {
            let code = serde_json::to_value(error.code).unwrap_or(Value::Null);
            json!({
                "level": "error",
                "message": { "text": safe(&error.message) },
                "descriptor": { "id": code },
            })
        })
        .collect();
    json!({
        "executionSuccessful": report.errors.is_empty(),
        "toolExecutionNotifications": notifications,
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's scale: critical above 9.0, high 7.0–8.9, medium 4.0–6.9, low below 4.0.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn precision(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

/// A repository path as a relative URI reference: unreserved characters and `/` stay, every
/// other byte is percent-encoded (RFC 3986), so spaces, `#`, `?` and `%` cannot change its
/// meaning, and a leading `/` cannot make it absolute.
fn relative_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.trim_start_matches('/').bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn safe(text: &str) -> String {
    display_safe(text, 4_096)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uris_with_reserved_characters_encoded() {
        assert_eq!(relative_uri("src/my file#1.rs"), "src/my%20file%231.rs");
        assert_eq!(relative_uri("/etc/passwd"), "etc/passwd");
        assert_eq!(relative_uri("docs/caf\u{e9}.md"), "docs/caf%C3%A9.md");
    }
}
