//! Configuration: a TOML file overridden by `PALISADE_*` environment variables, parsed into typed
//! settings at start. Every bad value is reported (all of them, one line each) before anything
//! runs.
//!
//! This module only parses text it is given; reading the file and the process environment is the
//! binary's job, which keeps it testable.

mod settings;

use crate::Secret;
use settings::{Origin, Source};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use settings::ConfigErrors;

#[derive(Clone, Debug)]
pub struct Config {
    /// Where Palisade keeps what it owns on disk: the embedded cluster, TLS material.
    pub data_dir: PathBuf,
    /// The HTTPS listener.
    pub listen: SocketAddr,
    /// The plain-HTTP listener that only redirects to HTTPS; `None` when turned off.
    pub redirect_listen: Option<SocketAddr>,
    pub database: DatabaseConfig,
    pub http: HttpConfig,
    pub tls: TlsConfig,
    pub log: LogConfig,
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

#[derive(Clone, Debug)]
pub struct HttpConfig {
    pub body_limit_bytes: usize,
    pub request_timeout: Duration,
    pub shutdown_grace: Duration,
}

#[derive(Clone, Debug)]
pub struct TlsConfig {
    pub cert_file: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
    /// Names the generated self-signed certificate is valid for.
    pub hostnames: Vec<String>,
    /// Serve plain HTTP because a proxy in front terminates TLS.
    pub behind_proxy: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

#[derive(Clone, Debug)]
pub struct LogConfig {
    /// A `tracing` filter directive such as `info` or `palisade=debug,info`.
    pub filter: String,
    pub format: LogFormat,
}

impl Config {
    /// Parses the TOML text (empty when there is no file) and the environment variables, the
    /// latter winning. `file_name` only labels error messages.
    pub fn load(
        file_name: &str,
        toml_text: &str,
        env: &HashMap<String, String>,
    ) -> Result<Config, ConfigErrors> {
        let mut src = Source::new(file_name, toml_text, env)?;
        let config = Config {
            data_dir: src.path("data_dir", &["PALISADE_DATA_DIR"], "./palisade-data"),
            listen: src.socket_addr("listen", &["PALISADE_LISTEN"], "0.0.0.0:8443"),
            redirect_listen: src.optional_socket_addr(
                "redirect_listen",
                &["PALISADE_REDIRECT_LISTEN"],
                "0.0.0.0:8080",
            ),
            database: DatabaseConfig {
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
            },
            http: HttpConfig {
                body_limit_bytes: src.number(
                    "http.body_limit_bytes",
                    &["PALISADE_HTTP_BODY_LIMIT_BYTES"],
                    1024 * 1024,
                    1024..=1024 * 1024 * 1024,
                ),
                request_timeout: Duration::from_secs(src.number(
                    "http.request_timeout_secs",
                    &["PALISADE_HTTP_REQUEST_TIMEOUT_SECS"],
                    30,
                    1..=3600,
                )),
                shutdown_grace: Duration::from_secs(src.number(
                    "http.shutdown_grace_secs",
                    &["PALISADE_HTTP_SHUTDOWN_GRACE_SECS"],
                    30,
                    0..=3600,
                )),
            },
            tls: TlsConfig {
                cert_file: src
                    .optional_string("tls.cert_file", &["PALISADE_TLS_CERT_FILE"])
                    .map(PathBuf::from),
                key_file: src
                    .optional_string("tls.key_file", &["PALISADE_TLS_KEY_FILE"])
                    .map(PathBuf::from),
                hostnames: src.hostnames("tls.hostnames", &["PALISADE_TLS_HOSTNAMES"], "localhost"),
                behind_proxy: src.boolean(
                    "tls.behind_proxy",
                    &["PALISADE_TLS_BEHIND_PROXY"],
                    false,
                ),
            },
            log: LogConfig {
                filter: src.string("log.filter", &["PALISADE_LOG", "RUST_LOG"], "info"),
                format: src.log_format("log.format", &["PALISADE_LOG_FORMAT"]),
            },
        };
        if config.tls.cert_file.is_some() != config.tls.key_file.is_some() {
            src.error(
                "tls.cert_file",
                Origin::Both,
                "tls.cert_file and tls.key_file must be set together",
            );
        }
        src.finish()?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests;
