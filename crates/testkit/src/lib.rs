//! Test support every crate's integration tests share, on platform alone:
//!
//! * one throwaway PostgreSQL cluster per test process, started by the same launcher as the
//!   embedded default (in a temp dir, as an unprivileged user when root) and removed when the
//!   process ends;
//! * one migrated database per test, cloned from a template database migrated once;
//! * a capture of every log line, to prove what never appears in logs.
//!
//! Nothing here fakes the database; no test relies on a PostgreSQL already running. The whole
//! application under test (`TestApp`) is in the `testapp` crate, so that `cargo test -p
//! platform` builds platform and this crate only.

// Test support: a setup step that fails must stop the test loudly, which is what expect does.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod cluster;
pub mod logs;

pub use cluster::{TestDb, test_db};
