//! The application under test, for the API's and the binary's integration tests.
//!
//! * [`TestApp`]: exactly what `palisade serve` runs (`edge::Services::build`, the API router in
//!   the edge's middleware stack) on an ephemeral loopback port, with its own database (from
//!   `testkit`) and a bootstrapped global administrator;
//! * factories: tenants, members of a role, their administrator, API keys;
//! * typed answers ([`Problem`], [`Tokens`], [`CreatedKey`]) and reads of the audit log, so that
//!   tests read fields instead of walking JSON.
//!
//! Nothing here fakes a component: requests go over real HTTP to the real router.

// Test support: a setup step that fails must stop the test loudly, which is what expect does.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod answers;
mod app;
mod factory;

pub use answers::{CreatedKey, FieldError, Problem, ResponseExt, Tokens};
pub use app::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, TlsEndpoint, access_token, test_settings};
pub use factory::{MEMBER_PASSWORD, Member};
pub use testkit::{TestDb, logs, test_db};
