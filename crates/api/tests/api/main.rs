//! HTTP-level tests of the API through `TestApp` (one test binary for the crate).

// Tests fail by panicking; helpers unwrap for the same reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access;
mod access_policy;
mod alerts;
mod api_keys;
mod audit_log;
mod auth;
mod channels;
mod connections;
mod console;
mod deliveries;
mod diffscan;
mod errors;
mod events;
mod fuzz;
mod invitations;
mod isolation;
mod keys;
mod openapi;
mod proxies;
mod receivers;
mod roles;
mod sealing;
mod secrets;
mod snapshots;
mod surface;
mod system;
mod tenants;
mod throttle;
mod users;
mod ws;
