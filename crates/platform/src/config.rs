//! Configuration: a TOML file overridden by `PALISADE_*` environment variables, parsed into typed
//! settings at start. Every bad value is reported (all of them, one line each) before anything
//! runs.
//!
//! Each crate declares its own settings section and reads it from a [`Source`]
//! (`IdentitySettings::read(&mut source)`, `NotifySettings::read`, …); the binary opens the
//! source, lets every section read, and calls `finish`, which also reports keys nobody read.
//! This module holds the reader and platform's own sections (data directory, database, jobs,
//! outbound policy). It only parses text it is given: reading the file and the process
//! environment is the binary's job, which keeps it testable.

mod source;

use crate::Secret;
use crate::outbound::OutboundPolicy;
use std::path::PathBuf;
use std::time::Duration;

pub use source::{ConfigErrors, Origin, Source};

/// What platform itself needs: where its files live, the database, the job runner, and where
/// outbound connections may go.
#[derive(Clone, Debug)]
pub struct PlatformSettings {
    /// Where Palisade keeps what it owns on disk: the embedded cluster, TLS material.
    pub data_dir: PathBuf,
    pub database: DatabaseConfig,
    pub jobs: JobsConfig,
    /// Outbound connections (webhooks, Slack, SMTP, scans, connectors).
    pub outbound: OutboundPolicy,
    /// Production (the default) refuses what only makes sense on a developer's machine, such as
    /// signing results with a public development key.
    pub mode: Mode,
    /// The master key that wraps the data keys kept in the database.
    pub encryption: crate::keys::EncryptionSettings,
}

/// What kind of installation this is (`mode`, `PALISADE_MODE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Production,
    Development,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Production => "production",
            Mode::Development => "development",
        }
    }

    pub fn parse(text: &str) -> Result<Mode, String> {
        match text.to_ascii_lowercase().as_str() {
            "production" => Ok(Mode::Production),
            "development" => Ok(Mode::Development),
            _ => Err("is not a mode (production or development)".into()),
        }
    }
}

impl PlatformSettings {
    pub fn read(src: &mut Source<'_>) -> PlatformSettings {
        let data_dir = src.path("data_dir", &["PALISADE_DATA_DIR"], "./palisade-data");
        let encryption = crate::keys::EncryptionSettings::read(src, &data_dir);
        PlatformSettings {
            data_dir,
            database: DatabaseConfig::read(src),
            jobs: JobsConfig::read(src),
            outbound: src
                .outbound_policy("outbound.allow_cidrs", &["PALISADE_OUTBOUND_ALLOW_CIDRS"]),
            mode: src.parsed("mode", &["PALISADE_MODE"], Mode::Production, Mode::parse),
            encryption,
        }
    }
}

#[derive(Clone, Debug)]
pub struct DatabaseConfig {
    /// The application role's URL. `None` means the embedded cluster under `data_dir`.
    pub url: Option<Secret<String>>,
    /// The owner role's URL, used for migrations against an external database.
    pub owner_url: Option<Secret<String>>,
    pub max_connections: u32,
    /// Where the PostgreSQL server binaries are, when they are not found by themselves.
    pub pg_bin_dir: Option<PathBuf>,
    /// The unprivileged system user that runs the embedded cluster when Palisade runs as root.
    pub system_user: String,
}

impl DatabaseConfig {
    pub fn read(src: &mut Source<'_>) -> DatabaseConfig {
        let config = DatabaseConfig {
            url: src
                .optional_string("database.url", &["DATABASE_URL", "PALISADE_DATABASE_URL"])
                .map(Secret::new),
            owner_url: src
                .optional_string("database.owner_url", &["PALISADE_DATABASE_OWNER_URL"])
                .map(Secret::new),
            max_connections: src.number(
                "database.max_connections",
                &["PALISADE_DATABASE_MAX_CONNECTIONS"],
                16,
                1..=1000,
            ),
            pg_bin_dir: src
                .optional_string("database.pg_bin_dir", &["PG_BIN_DIR"])
                .map(PathBuf::from),
            system_user: src.string(
                "database.system_user",
                &["PALISADE_DATABASE_SYSTEM_USER"],
                "palisade",
            ),
        };
        let embedded_limit = crate::pg::EMBEDDED_MAX_CONNECTIONS - crate::pg::EMBEDDED_HEADROOM;
        if config.url.is_none() && config.max_connections > embedded_limit {
            let message = format!(
                "is more than the embedded cluster allows ({embedded_limit}: its max_connections \
                 is {} and {} are kept for listeners and administration)",
                crate::pg::EMBEDDED_MAX_CONNECTIONS,
                crate::pg::EMBEDDED_HEADROOM
            );
            src.error("database.max_connections", Origin::Both, &message);
        }
        config
    }
}

/// The background job runner of `palisade serve` and `palisade worker`.
#[derive(Clone, Debug)]
pub struct JobsConfig {
    /// Jobs one process runs at once.
    pub concurrency: usize,
    /// How long, on SIGINT or SIGTERM, running jobs may finish before they are interrupted (and
    /// re-queued without using an attempt).
    pub shutdown_grace: Duration,
}

impl JobsConfig {
    pub fn read(src: &mut Source<'_>) -> JobsConfig {
        JobsConfig {
            concurrency: src.number("jobs.concurrency", &["PALISADE_JOBS_CONCURRENCY"], 4, 1..=256),
            shutdown_grace: src.seconds(
                "jobs.shutdown_grace_secs",
                &["PALISADE_JOBS_SHUTDOWN_GRACE_SECS"],
                30,
                0..=3600,
            ),
        }
    }
}
