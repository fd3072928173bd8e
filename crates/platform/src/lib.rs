//! Palisade's shared ground: typed ids, secrets, configuration, the database pool and
//! tenant-scoped transactions, migrations, the embedded PostgreSQL launcher, background jobs and
//! the audit log.
//!
//! Everything here is used by several capabilities. It must not know about HTTP (no axum) nor
//! about any one capability's domain.

pub mod audit;
pub mod config;
pub mod db;
pub mod ids;
pub mod jobs;
pub mod migrate;
pub mod outbound;
pub mod outbox;
pub mod pg;
pub mod secret;
pub mod server_secrets;

pub use db::{Db, DbError, TenantTx, set_tenant, tenant_tx};
pub use ids::{IdParseError, TenantId, UserId};
pub use secret::Secret;
