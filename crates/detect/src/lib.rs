//! The pure engine under Palisade's alert queue. SIEMs push alerts in; this crate turns each into
//! an OCSF 1.8.0 Detection Finding, fingerprints it for dedup, evaluates Sigma rules, and groups
//! related alerts into correlation groups. The alerts service (ingestion endpoints, storage,
//! triage, SLAs) is built on it.
//!
//! * [`adapters`]: one adapter per source (Palisade's own format, Wazuh 4.x and 5.x, Elastic
//!   Security, OCSF, Microsoft Sentinel, Splunk), each item to a [`NormalizedAlert`] or a typed
//!   [`AdapterError`].
//! * [`normalize`](mod@normalize): drafts to findings, and findings to OCSF JSON
//!   ([`NormalizedAlert::to_ocsf`]).
//! * [`fingerprint`]: configurable dedup fingerprints and idempotency keys.
//! * [`sigma`]: Sigma rules (parsed and evaluated by `rsigma`), field mapping from ECS, Wazuh,
//!   OCSF and Windows event-log layouts, logsource routing, and per-selection rule testing.
//! * [`correlation`]: incremental grouping of alerts that share indicators within a window.
//! * [`catalog`]: the embedded ATT&CK and OCSF catalogs.
//!
//! It must stay pure: no database, network, clock or file access (times come in as arguments),
//! and no knowledge of tenants, HTTP or storage.

pub mod adapters;
pub mod catalog;
pub mod correlation;
pub mod error;
pub mod fingerprint;
pub mod json;
pub mod model;
pub mod normalize;
pub mod sigma;

pub use adapters::{normalize, normalize_batch, split_batch};
pub use error::AdapterError;
pub use fingerprint::{Fingerprint, FingerprintConfig, FingerprintKey, IdempotencyKey};
pub use model::{Finding, NormalizedAlert, Observable, ObservableKind, Severity, SourceKind};
