//! Fuzzes the whole scan path with arbitrary bytes: parse, verify, detect, grade and render.
//! Any panic is a bug: a malformed diff must become a finding or an `error` decision.

#![no_main]

use std::sync::OnceLock;

use diffscan_engine::render::{Format, render};
use diffscan_engine::{Decision, Engine, Limits, Policy};
use libfuzzer_sys::fuzz_target;

fn engine() -> Option<&'static Engine> {
    static ENGINE: OnceLock<Option<Engine>> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().ok()).as_ref()
}

fuzz_target!(|input: &[u8]| {
    let Some(engine) = engine() else { return };
    let Some(today) = chrono::NaiveDate::from_ymd_opt(2025, 6, 1) else { return };
    let limits = Limits::new(1 << 20, 64, 4096).unwrap_or_default();
    let report = engine.scan(input, &Policy::default().with_limits(limits), None, today);
    if report.decision == Decision::Pass && report.findings.iter().any(|f| f.blocking) {
        panic!("a pass with a blocking finding");
    }
    for format in Format::ALL {
        let _ = render(&report, format);
    }
});
