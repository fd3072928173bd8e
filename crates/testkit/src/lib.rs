//! Test support shared by every crate's integration tests.
//!
//! * one throwaway PostgreSQL cluster per test process, started by the same launcher as the
//!   embedded default (in a temp dir, as an unprivileged user when root) and removed when the
//!   process ends;
//! * one migrated database per test, cloned from a template database migrated once;
//! * `TestApp`, the real router served on an ephemeral loopback port with a client bound to it.
//!
//! Nothing here fakes the database; no test relies on a PostgreSQL already running.

// Test support: a setup step that fails must stop the test loudly, which is what expect does.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod app;
mod cluster;
mod factory;
pub mod logs;

pub use app::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, TestConfig, access_token};
pub use cluster::{TestDb, test_db};
pub use factory::{MEMBER_PASSWORD, Member};
