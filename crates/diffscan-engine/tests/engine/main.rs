//! The engine's integration tests (one test binary for the crate): the labelled corpus, the
//! SARIF schema, the rule examples and packs, signing, hostile input, the public scan API, and
//! the documentation's rule catalogue.

// Tests fail by panicking; helpers unwrap for the same reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod corpus;
mod docs;
mod hostile_input;
mod rule_examples;
mod rule_packs;
mod sarif_schema;
mod scan_api;
mod signing;
