//! diffscan-engine: the pure engine behind `palisade diffscan`.
//!
//! Teams point Palisade at every pull request; this crate answers pass or fail before a person
//! or an AI coding agent reads or merges the change. It parses and verifies unified diffs as git
//! writes them, runs data-driven rule packs over the added code, paths and metadata (hidden text,
//! prompt injection, CI/CD tampering, execution and exfiltration, secrets, injection sinks),
//! applies a policy (profiles, exceptions, inline suppressions, baselines), renders the result
//! as text, JSON, SARIF 2.1.0 or HTML, and signs it as an in-toto statement in a DSSE envelope.
//!
//! It owns no I/O: no database, no network, no clock, no file system. Every diff is hostile data
//! that is never executed or followed; every string that leaves the engine is display-safe and
//! carries no secret.

pub mod attest;
pub mod context;
pub mod diff;
pub mod engine;
pub mod policy;
pub mod render;
pub mod report;
pub mod rules;
mod scan;
pub mod selftest;
pub mod text;
pub mod verify;

use std::sync::OnceLock;

use chrono::NaiveDate;

pub use attest::{
    Signer, VerificationKey, VerifiedStatement, VerifyError, sign_report, verify_artifact,
};
pub use engine::{Engine, EngineError};
pub use policy::{Baseline, OnError, Policy, PolicyError};
pub use render::{Format, TextStyle, render};
pub use report::{Decision, Finding, FindingStatus, Report};
pub use rules::{PackError, RulePack, parse_pack};
pub use selftest::{ExampleFailure, validate_pack};
pub use verify::Limits;

/// Scans a diff with the built-in pack (compiled once per process). `today` decides which
/// policy exceptions have expired; the caller reads the clock.
pub fn scan(
    input: &[u8],
    policy: &Policy,
    baseline: Option<&Baseline>,
    today: NaiveDate,
) -> Result<Report, EngineError> {
    static BUILTIN: OnceLock<Result<Engine, EngineError>> = OnceLock::new();
    let engine = BUILTIN.get_or_init(Engine::builtin).as_ref().map_err(Clone::clone)?;
    Ok(engine.scan(input, policy, baseline, today))
}

/// The CLI's exit status for a decision: 0 pass, 1 fail, 2 error.
pub fn exit_code(decision: Decision) -> u8 {
    match decision {
        Decision::Pass => 0,
        Decision::Fail => 1,
        Decision::Error => 2,
    }
}
