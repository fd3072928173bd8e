//! The detection engine's tests: source adapters and OCSF output field by field, fingerprints,
//! Sigma rules, modifiers, conditions and event layouts, and correlation grouping (one test
//! binary for the crate).

// Tests fail by panicking; helpers unwrap for the same reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod correlation;
mod elastic;
mod fingerprint;
mod ocsf_and_palisade;
mod sentinel_splunk;
mod sigma_conditions;
mod sigma_events;
mod sigma_exceptions;
mod sigma_modifiers;
mod sigma_rules;
mod support;
mod values;
mod wazuh;
