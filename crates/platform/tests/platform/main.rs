//! Integration tests of the platform against a real PostgreSQL (one binary for the crate).

// Tests fail by panicking; helpers unwrap for the same reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit;
mod helpers;
mod isolation;
mod jobs;
mod one_call_reads;
