//! SQL of the alerts capability, one file per table group. Every function takes the caller's
//! `TenantTx`, filters on its tenant as well as relying on row-level security, and is
//! instrumented. Multi-row writes go through `unnest` of arrays: one statement per table per
//! batch, whatever its size. Rows are written in a fixed order (fingerprint, key) so that
//! concurrent batches lock them in the same order.

pub(crate) mod alerts;
pub(crate) mod bulk;
pub(crate) mod correlation;
pub(crate) mod history;
pub(crate) mod ingest;
pub(crate) mod rules;
pub(crate) mod settings;
pub(crate) mod sources;
pub(crate) mod stats;
