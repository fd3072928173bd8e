//! The pure steps of ingestion, before any database: reading a push's body into items (one JSON
//! object, a JSON array, NDJSON, or a source's own wrapper), verifying a signed source's
//! signature over the exact bytes before anything is parsed, and preparing each item (adapter,
//! OCSF normalization, limits, fingerprint, idempotency key, Sigma detections). Each item
//! succeeds or fails on its own; the service writes the prepared ones in one transaction.

pub mod body;
pub mod prepare;
pub mod signature;

pub use body::{Item, read_items};
pub use prepare::{Detection, Prepared, Rejection};
pub use signature::{IngestHeaders, verify_signature, verify_token};

/// Alerts one request may carry.
pub const MAX_INGEST_ITEMS: usize = 10_000;
/// The largest body of an ingest request.
pub const MAX_INGEST_BYTES: usize = 10 * 1024 * 1024;
