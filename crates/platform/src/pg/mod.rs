//! The embedded PostgreSQL cluster: Palisade's default database when no `DATABASE_URL` is given,
//! and the throwaway cluster of every test process (the same code, so tests exercise it).
//!
//! It owns the cluster's files, its lifecycle (initdb, start, adopt or clean up after a crash,
//! stop) and the one-palisade-per-data_dir lock. It listens only on a Unix socket. It must not
//! run migrations or know about tables; `bootstrap` creates the two roles and the database.

mod binaries;
mod cluster;
mod system_user;

pub use binaries::{FindError, PgBinaries};
pub use cluster::{Cluster, ClusterError, Durability};
pub use system_user::{RunAs, effective_uid};

/// The role that owns every table and runs migrations.
pub const OWNER_ROLE: &str = "palisade_owner";
/// The role the server's pool connects as: LOGIN, NOBYPASSRLS, owns nothing.
pub const APP_ROLE: &str = "palisade_app";
/// The bootstrap superuser of an embedded cluster.
pub const SUPERUSER: &str = "postgres";
/// The database of an embedded cluster.
pub const DATABASE: &str = "palisade";
/// The embedded cluster's `max_connections`.
pub const EMBEDDED_MAX_CONNECTIONS: u32 = 200;
/// Connections of the embedded cluster kept out of the application pool: listeners (feed,
/// identity changes, relay), the owner's migrations, `palisade admin` next to a server, and
/// PostgreSQL's reserved superuser slots.
pub const EMBEDDED_HEADROOM: u32 = 20;
