//! The engine's integration tests, against real listeners and TLS servers on loopback (one test
//! binary; `tests/full_range.rs` is a second one on purpose, see its documentation).

// Tests fail by panicking; helpers unwrap for the same reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod diff;
mod ipv6;
mod run;
mod scan_states;
mod services;
mod snapshot;
mod support;
mod tls_probe;
mod tls_validation;
mod values;
