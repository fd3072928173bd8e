//! The pure engine of Palisade's attack-surface monitoring (Surface).
//!
//! * [`values`]: asset values, port specs and scan targets, parsed into canonical forms.
//! * [`scan`]: an async TCP connect scanner with service hints and an optional TLS probe.
//! * [`tls`]: the certificate chain a server presents, and its validation into flags.
//! * [`snapshot`]: the normalized result of a scan, its canonical JSON and SHA-256.
//! * [`diff`]: a snapshot against its baseline, as typed change events with severities.
//! * [`run`]: one call for `palisade scan`, streaming host results, and its exit codes.
//!
//! It must not touch a database, speak HTTP as a client library, resolve names or read
//! configuration: the service resolves targets through the SSRF guard and hands this crate checked
//! addresses, and it persists what this crate returns.

pub mod diff;
pub mod run;
pub mod scan;
pub mod service;
pub mod snapshot;
pub mod tls;
pub mod values;
