//! Alerts: the SOC's queue. SIEMs and scripts push alerts in (Palisade's own format, Wazuh,
//! Elastic Security, OCSF, Microsoft Sentinel, Splunk), with an API key or with a source's own
//! token or HMAC signature; each becomes an OCSF 1.8 Detection Finding stored with its raw
//! payload; repeats fold into one alert by fingerprint; the tenant's Sigma rules run on every
//! alert and event; correlation rules group related alerts into incident candidates; analysts
//! triage (assign, acknowledge, investigate, close, reopen) one alert or ten thousand, every
//! change in the alert's history and the audit log; SLA targets are watched; statistics come
//! from an hourly roll-up kept in the same transactions.
//!
//! * [`Alerts`] is the service; [`register_jobs`] adds its jobs (correlation, bulk jobs, the SLA
//!   sweep) to a job runner.
//! * [`model`] holds the typed values the API parses requests into.
//! * The pure work (adapters, normalization, fingerprints, Sigma, correlation grouping) is the
//!   `detect` crate's; this crate stores, decides and announces.
//!
//! It must not know about HTTP routing (no axum): the api crate maps its errors and calls it. It
//! never logs, audits or returns a source's token or signing secret after creation, nor logs a
//! pushed alert's payload.

pub mod error;
pub mod ingest;
pub mod jobs;
pub mod model;
pub mod service;
pub mod settings;
pub(crate) mod store;

pub use error::AlertsError;
pub use ingest::{IngestHeaders, MAX_INGEST_BYTES, MAX_INGEST_ITEMS};
pub use jobs::register_jobs;
pub use service::Alerts;
pub use settings::AlertsSettings;
