//! Grading raw findings under a policy: the profile's severity overrides, then exceptions,
//! honoured inline suppressions and the baseline give each finding its status; an open finding
//! blocks when the profile says its severity and confidence do.
//!
//! It must not drop a finding silently: suppressed, excepted and baselined findings stay in the
//! report with their status and reason.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Baseline, Fingerprint, Policy};
use crate::report::{ExpiredException, Finding, FindingStatus, SuppressionKind, SuppressionRecord};
use crate::rules::{Rule, RuleSet};
use crate::scan::RawFinding;
use crate::text::display_safe;

/// Longer paths are cut in the report (git allows 4096 bytes; nobody reads past that).
const MAX_PATH_CHARS: usize = 4_096;

/// More findings of one rule in one file than this are counted, not listed.
const MAX_LISTED_PER_RULE_AND_PATH: usize = 25;

/// Findings with their status, ready for the report.
#[derive(Debug)]
pub(crate) struct Graded {
    pub findings: Vec<Finding>,
    pub omitted: usize,
    pub any_blocking: bool,
    pub expired: Vec<ExpiredException>,
}

pub(crate) fn grade(
    raw: Vec<RawFinding>,
    rules: &RuleSet,
    policy: &Policy,
    baseline: Option<&Baseline>,
    today: NaiveDate,
) -> Graded {
    let profile = policy.profile();
    let mut findings: Vec<Finding> = raw
        .into_iter()
        .filter_map(|finding| {
            let rule = &rules.rules()[finding.rule];
            profile.includes(rule).then(|| graded(finding, rule, policy, baseline, today))
        })
        .collect();
    findings.sort_by(|a, b| {
        (&a.path, a.start_line, a.diff_line, &a.rule_id).cmp(&(
            &b.path,
            b.start_line,
            b.diff_line,
            &b.rule_id,
        ))
    });
    let any_blocking = findings.iter().any(|finding| finding.blocking);
    let before = findings.len();
    let mut listed: HashMap<(String, Option<String>), usize> = HashMap::new();
    findings.retain(|finding| {
        let count = listed.entry((finding.rule_id.clone(), finding.path.clone())).or_insert(0);
        *count += 1;
        *count <= MAX_LISTED_PER_RULE_AND_PATH
    });
    let expired = policy
        .exceptions()
        .iter()
        .filter(|exception| exception.is_expired(today))
        .map(|exception| ExpiredException {
            rule: exception.rule().as_str().to_string(),
            path: exception.path_glob().to_string(),
            expired_on: exception.expires(),
            reason: exception.reason().to_string(),
        })
        .collect();
    Graded { omitted: before - findings.len(), findings, any_blocking, expired }
}

fn graded(
    finding: RawFinding,
    rule: &Rule,
    policy: &Policy,
    baseline: Option<&Baseline>,
    today: NaiveDate,
) -> Finding {
    let profile = policy.profile();
    let severity = profile.severity_for(rule, finding.severity);
    let fingerprint =
        Fingerprint::compute(rule.id.as_str(), finding.path.as_deref(), &finding.matched);
    let exception =
        policy.exceptions().iter().find(|e| e.covers(rule, finding.path.as_deref(), today));
    let inline = finding.suppression.as_ref().filter(|_| inline_honoured(policy, rule));
    let (status, suppression) = if let Some(exception) = exception {
        let record = SuppressionRecord {
            kind: SuppressionKind::Exception,
            reason: exception.reason().to_string(),
            expires: Some(exception.expires()),
        };
        (FindingStatus::Excepted, Some(record))
    } else if let Some(inline) = inline {
        let reason = inline.reason.clone().unwrap_or_default();
        (
            FindingStatus::Suppressed,
            Some(SuppressionRecord { kind: SuppressionKind::Inline, reason, expires: None }),
        )
    } else if baseline.is_some_and(|baseline| baseline.contains(fingerprint.as_str())) {
        (FindingStatus::Baselined, None)
    } else {
        (FindingStatus::Open, None)
    };
    let message = match &finding.detail {
        Some(detail) => format!("{}: {detail}", rule.title),
        None => rule.title.clone(),
    };
    Finding {
        rule_id: rule.id.to_string(),
        family: rule.family,
        severity,
        confidence: rule.confidence,
        title: rule.title.clone(),
        message,
        // Paths come from the diff: shown, they must not carry terminal escapes or bidi controls.
        path: finding.path.map(|path| display_safe(&path, MAX_PATH_CHARS)),
        start_line: finding.start_line,
        end_line: finding.end_line,
        diff_line: finding.diff_line,
        snippet: finding.snippet,
        fingerprint: fingerprint.as_str().to_string(),
        blocking: status == FindingStatus::Open && profile.blocks(severity, rule.confidence),
        status,
        suppression,
    }
}

fn inline_honoured(policy: &Policy, rule: &Rule) -> bool {
    let inline = policy.inline_suppressions();
    inline.enabled && !inline.never.iter().any(|selector| selector.matches(&rule.id, rule.family))
}
