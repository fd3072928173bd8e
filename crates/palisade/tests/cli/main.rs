//! Tests of the `palisade` binary as an operator runs it: a real process, a real embedded
//! cluster in a temp data_dir, real TLS.

// Tests fail by panicking; helpers unwrap for the same reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin;
mod architecture;
mod config;
mod diffscan;
mod operator;
mod process;
mod scan;
mod serve;
mod sigma;
