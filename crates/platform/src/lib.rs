//! Palisade's shared ground: the access vocabulary, typed ids and timestamps, pagination, error
//! plumbing, secrets, the configuration reader, the database pool and tenant-scoped
//! transactions, the lower-priority threads for bulk CPU work, migrations, the embedded PostgreSQL launcher, background jobs, the audit log,
//! the master key and server secrets, the keyring that seals secrets in tenant rows, the outbox
//! and the outbound (SSRF) guard.
//!
//! Everything here is used by several capabilities. It must not know about HTTP (no axum) nor
//! about any one capability's domain, and it depends on no other crate of the workspace.

pub mod access;
pub mod audit;
pub mod bulk_cpu;
pub mod config;
pub mod db;
pub mod error;
pub mod ids;
pub mod jobs;
pub mod keys;
pub mod mail;
pub mod migrate;
pub mod outbound;
pub mod outbox;
pub mod page;
pub mod pg;
pub mod sealing;
pub mod secret;
pub mod server_secrets;
pub mod time;

pub use db::{Db, DbError, TenantRead, TenantTx};
pub use error::{FieldCode, Invalid};
pub use ids::{ApiKeyId, ChannelId, DeliveryId, EventId, IdParseError, TenantId, TypedId, UserId};
pub use page::{Page, PageError, PageRequest};
pub use secret::Secret;
pub use time::Timestamp;

#[doc(hidden)]
pub use anyhow as __anyhow;
