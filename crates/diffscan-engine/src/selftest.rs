//! Running every rule's examples through the real scan path: each positive example must produce
//! a finding of its rule, each negative example none. The tests run it over the built-in pack;
//! [`validate_pack`] runs it over a tenant pack before it is accepted.
//!
//! It must not special-case anything: an example passes only the way a pull request would.

use chrono::NaiveDate;

use crate::engine::{Engine, EngineError};
use crate::policy::{Policy, Profile};
use crate::rules::{PackError, PackIssue, RulePack, parse_pack};
use crate::verify::Limits;

/// An example that did not behave as its rule says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    pub rule: String,
    pub origin: String,
    /// The line the rule is defined on.
    pub line: usize,
    /// `true` for a positive example that found nothing, `false` for a negative one that did.
    pub positive: bool,
    /// Index among the rule's positive (or negative) examples.
    pub index: usize,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (kind, outcome) =
            if self.positive { ("positive", "no finding") } else { ("negative", "a finding") };
        write!(
            f,
            "{}:{}: rule {} {kind} example {} gave {outcome}",
            self.origin,
            self.line,
            self.rule,
            self.index + 1
        )
    }
}

impl Engine {
    /// Every example of every rule that fails.
    pub fn example_failures(&self) -> Vec<ExampleFailure> {
        let policy = Policy::with_profile(Profile::builtin("audit").unwrap_or_default())
            .with_limits(example_limits());
        let day = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
        let mut failures = Vec::new();
        for rule in self.rules() {
            let cases = rule.positive_examples().iter().map(|e| (true, e)).enumerate();
            let negatives = rule.negative_examples().iter().map(|e| (false, e)).enumerate();
            for (index, (positive, example)) in cases.chain(negatives) {
                let report = self.scan(example.to_diff().as_bytes(), &policy, None, day);
                let fired =
                    report.findings.iter().any(|finding| finding.rule_id == rule.id().as_str());
                if fired != positive {
                    failures.push(ExampleFailure {
                        rule: rule.id().to_string(),
                        origin: rule.origin().to_string(),
                        line: rule.line(),
                        positive,
                        index,
                    });
                }
            }
        }
        failures
    }
}

/// Examples run with 512-byte lines, so that a rule about the line limit can show its example
/// without a 32 KiB line in the pack.
fn example_limits() -> Limits {
    Limits::new(1 << 20, 100, 512).unwrap_or_default()
}

/// Parses a tenant pack, compiles it, and runs its examples; any failure is an error with the
/// line of the rule it concerns.
pub fn validate_pack(source: &str, origin: &str) -> Result<RulePack, PackError> {
    let pack = parse_pack(source, origin)?;
    let engine = Engine::from_packs(vec![pack.clone()]).map_err(|error| match error {
        EngineError::Pack(error) => error,
        EngineError::RuleSet(error) => PackError::Invalid {
            origin: origin.to_string(),
            issues: vec![PackIssue { line: 1, rule: None, message: error.to_string() }],
        },
    })?;
    let issues: Vec<PackIssue> = engine
        .example_failures()
        .into_iter()
        .map(|failure| PackIssue {
            line: failure.line,
            rule: Some(failure.rule.clone()),
            message: failure.to_string(),
        })
        .collect();
    if issues.is_empty() {
        Ok(pack)
    } else {
        Err(PackError::Invalid { origin: origin.to_string(), issues })
    }
}
