//! Diffscan as a service: teams point Palisade at every pull request (through the API or a
//! GitHub webhook) and it answers pass or fail, with findings and a signed result, before a person
//! or an AI coding agent reads or merges the change.
//!
//! * [`Diffscan`] is the service: scans (idempotent requests, the scan job, findings, signed
//!   artifacts, HTML and SARIF views), policies, exceptions, baselines, tenant rule packs, GitHub
//!   installations, repositories and webhook deliveries, retention.
//! * [`register_jobs`] registers its jobs (`diffscan.run_scan`, `diffscan.github_delivery`,
//!   `diffscan.github_report`, the hourly `diffscan.purge`) on a job runner.
//! * The engine (`diffscan-engine`) does the scanning; this crate owns storage, policy
//!   resolution, the object store of raw diffs, signing keys and GitHub.
//!
//! It must not know about HTTP routing (no axum): the api crate maps its errors and calls it.
//! It treats every diff and every webhook body as hostile data, never logs a diff, a token or a
//! webhook secret, and connects to GitHub only through the SSRF guard.

pub mod error;
pub mod github;
pub mod jobs;
pub mod metrics;
pub mod model;
pub mod objects;
pub mod service;
pub mod settings;
pub mod signing;
pub(crate) mod store;

pub use error::DiffscanError;
pub use jobs::register_jobs;
pub use service::Diffscan;
pub use settings::DiffscanSettings;
