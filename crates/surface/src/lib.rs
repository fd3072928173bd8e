//! Attack-surface monitoring (Surface): the assets a tenant registers (domains, IP addresses,
//! CIDR blocks), the proof that it may scan them (a DNS TXT record, an HTTP(S) well-known file,
//! reverse DNS under an authorized domain, or an administrator's attestation), scans run by the
//! job queue with the engine (`surface-engine`), snapshots with their hashes, baselines, and
//! typed change events delivered through the outbox.
//!
//! * [`Surface`] is the service; [`register_jobs`] gives a job runner its jobs (the scan, the
//!   schedule, the proof re-check).
//! * Every address a scan or a proof check connects to is resolved through [`dns::Dns`] and
//!   checked by the SSRF guard (`platform::outbound`) first.
//!
//! It must not know HTTP routing (no axum) nor identity: the api crate maps its errors and calls
//! it with a `platform::access::Principal`.

pub mod dns;
pub mod error;
pub mod jobs;
pub mod model;
pub mod schedule;
pub mod service;
pub mod settings;
pub(crate) mod store;
pub mod verify;
mod worker;

pub use error::SurfaceError;
pub use jobs::register_jobs;
pub use service::Surface;
pub use settings::SurfaceSettings;
