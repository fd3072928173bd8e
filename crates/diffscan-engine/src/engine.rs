//! The engine: a compiled rule set (built-in pack plus any tenant packs) and the one entry point
//! from diff bytes to a [`Report`]: check limits, parse, verify, detect, grade, decide.
//!
//! A scan is a pure function of the bytes, the policy, the baseline and the day: no clock, no
//! file system, no network. It must never panic on any input.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::diff::{self, Diff};
use crate::policy::{Baseline, OnError, Policy, Profile, grade};
use crate::report::{
    Decision, DiffStats, EngineInfo, PolicySummary, REPORT_FORMAT, Report, RuleSummary, ScanError,
    ScanErrorCode, Subject,
};
use crate::rules::{PackError, Rule, RulePack, RuleSet, RuleSetError, builtin_packs};
use crate::verify::verify;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Pack(#[from] PackError),
    #[error(transparent)]
    RuleSet(#[from] RuleSetError),
}

/// Compiled rules, shared by every scan (it is `Send + Sync`).
#[derive(Debug, Clone)]
pub struct Engine {
    rules: RuleSet,
    rules_digest: String,
}

impl Engine {
    /// The built-in pack alone.
    pub fn builtin() -> Result<Engine, EngineError> {
        Engine::from_packs(builtin_packs()?)
    }

    /// The built-in pack plus tenant packs (rule ids must not collide).
    pub fn with_packs(tenant_packs: Vec<RulePack>) -> Result<Engine, EngineError> {
        let mut packs = builtin_packs()?;
        packs.extend(tenant_packs);
        Engine::from_packs(packs)
    }

    /// Exactly these packs.
    pub fn from_packs(packs: Vec<RulePack>) -> Result<Engine, EngineError> {
        let mut hasher = Sha256::new();
        for pack in &packs {
            hasher.update(pack.digest().as_bytes());
        }
        let rules_digest = hex::encode(hasher.finalize());
        Ok(Engine { rules: RuleSet::new(packs)?, rules_digest })
    }

    pub fn rules(&self) -> &[Rule] {
        self.rules.rules()
    }

    pub fn rule_set(&self) -> &RuleSet {
        &self.rules
    }

    pub fn rules_digest(&self) -> &str {
        &self.rules_digest
    }

    /// Scans a diff under a policy. `today` decides which exceptions have expired.
    pub fn scan(
        &self,
        input: &[u8],
        policy: &Policy,
        baseline: Option<&Baseline>,
        today: NaiveDate,
    ) -> Report {
        let limits = policy.limits();
        let mut errors = Vec::new();
        let mut report = self.empty_report(input, policy, baseline.is_some());
        if input.len() > limits.max_total_bytes() {
            let message = format!(
                "the diff is {} bytes, over the {}-byte limit: nothing was scanned",
                input.len(),
                limits.max_total_bytes()
            );
            errors.push(ScanError { code: ScanErrorCode::InputTooLarge, message });
            return finish(report, errors, false, policy.on_error());
        }
        let parsed = diff::parse(input, &limits.parse_limits());
        if parsed.truncated {
            let message =
                format!("more than {} files: the rest was not scanned", limits.max_files());
            errors.push(ScanError { code: ScanErrorCode::TooManyFiles, message });
        }
        if parsed.files.is_empty() && parsed.problems.is_empty() && !input.trim_ascii().is_empty() {
            let message = "the input holds no file patch: it is not a unified diff".to_string();
            errors.push(ScanError { code: ScanErrorCode::NotADiff, message });
        }
        report.stats = stats(&parsed);
        let mut problems = parsed.problems.clone();
        problems.extend(verify(&parsed));
        let enabled = policy.profile().enabled_mask(&self.rules);
        let raw = crate::scan::detect(&parsed, &problems, &self.rules, &enabled);
        let graded = grade(raw, &self.rules, policy, baseline, today);
        report.rules = self.summaries(&graded.findings);
        report.findings = graded.findings;
        report.omitted_findings = graded.omitted;
        report.expired_exceptions = graded.expired;
        finish(report, errors, graded.any_blocking, policy.on_error())
    }

    fn empty_report(&self, input: &[u8], policy: &Policy, baseline_applied: bool) -> Report {
        let profile: &Profile = policy.profile();
        Report {
            format: REPORT_FORMAT.to_string(),
            engine: EngineInfo {
                name: "palisade-diffscan".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                rules_digest: self.rules_digest.clone(),
                rule_count: self.rules.rules().len(),
            },
            subject: Subject {
                sha256: hex::encode(Sha256::digest(input)),
                bytes: input.len() as u64,
            },
            stats: DiffStats::default(),
            policy: PolicySummary {
                profile: profile.name().to_string(),
                block_at: profile.block_at().as_str().to_string(),
                min_confidence: profile.min_confidence(),
                on_error: policy.on_error(),
                baseline_applied,
            },
            decision: Decision::Pass,
            degraded: false,
            errors: Vec::new(),
            findings: Vec::new(),
            omitted_findings: 0,
            expired_exceptions: Vec::new(),
            rules: Vec::new(),
        }
    }

    fn summaries(&self, findings: &[crate::report::Finding]) -> Vec<RuleSummary> {
        let mut ids: Vec<&str> = findings.iter().map(|finding| finding.rule_id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .filter_map(|id| self.rules.get(id))
            .map(|rule| RuleSummary {
                id: rule.id().to_string(),
                family: rule.family(),
                severity: rule.severity(),
                confidence: rule.confidence(),
                title: rule.title().to_string(),
                description: rule.description().to_string(),
                remediation: rule.remediation().to_string(),
            })
            .collect()
    }
}

fn finish(
    mut report: Report,
    errors: Vec<ScanError>,
    any_blocking: bool,
    on_error: OnError,
) -> Report {
    let failed_scan = !errors.is_empty();
    report.decision = match (failed_scan, on_error, any_blocking) {
        (true, OnError::FailClosed, _) => Decision::Error,
        (_, _, true) => Decision::Fail,
        _ => Decision::Pass,
    };
    report.degraded = failed_scan && on_error == OnError::FailOpen;
    report.errors = errors;
    report
}

fn stats(parsed: &Diff<'_>) -> DiffStats {
    DiffStats {
        files: parsed.files.len(),
        hunks: parsed.files.iter().map(|file| file.hunks.len()).sum(),
        added_lines: parsed.files.iter().map(|file| file.added_line_count()).sum(),
        removed_lines: parsed.files.iter().map(|file| file.removed_line_count()).sum(),
        binary_files: parsed.files.iter().filter(|file| file.header.binary).count(),
    }
}
