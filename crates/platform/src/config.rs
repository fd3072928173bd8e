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
    pub auth: AuthConfig,
    pub jobs: JobsConfig,
    /// Outbound connections (webhooks, Slack, SMTP, later scans and connectors).
    pub outbound: crate::outbound::OutboundPolicy,
    /// Key for secrets stored in the database (channel secrets); base64 of 32 bytes. Generated
    /// into the database when unset.
    pub encryption_key: Option<Secret<String>>,
    /// The id stored beside each ciphertext, so keys can be rotated.
    pub encryption_key_id: String,
    /// The console's address as users reach it, for links in notifications.
    pub public_url: String,
    /// Rate limits by name (`auth_per_ip`, `general_per_principal`, …) as `N/s`, `N/min` or
    /// `N/h` with an optional `:burst`; parsed by the API, which owns the limiter.
    pub rate_limits: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct AuthConfig {
    /// Whether `POST /v1/auth/register` accepts new accounts.
    pub registration: bool,
    /// HMAC key for access tokens (at least 32 bytes); generated into the database when unset.
    pub jwt_secret: Option<Secret<String>>,
    /// Pepper of API-key digests (at least 32 bytes); generated into the database when unset.
    pub api_key_pepper: Option<Secret<String>>,
    /// The global administrator created on first start.
    pub admin_email: String,
    /// Their password; generated and printed once when unset.
    pub admin_password: Option<Secret<String>>,
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
            auth: AuthConfig {
                registration: src.boolean(
                    "auth.registration",
                    &["PALISADE_AUTH_REGISTRATION"],
                    false,
                ),
                jwt_secret: src
                    .secret_of_at_least_32("auth.jwt_secret", &["PALISADE_AUTH_JWT_SECRET"])
                    .map(Secret::new),
                api_key_pepper: src
                    .secret_of_at_least_32("auth.api_key_pepper", &["PALISADE_AUTH_API_KEY_PEPPER"])
                    .map(Secret::new),
                admin_email: src.string(
                    "auth.admin_email",
                    &["PALISADE_ADMIN_EMAIL"],
                    "admin@localhost",
                ),
                admin_password: src
                    .optional_string("auth.admin_password", &["PALISADE_ADMIN_PASSWORD"])
                    .map(Secret::new),
            },
            jobs: JobsConfig {
                concurrency: src.number(
                    "jobs.concurrency",
                    &["PALISADE_JOBS_CONCURRENCY"],
                    4,
                    1..=256,
                ),
                shutdown_grace: Duration::from_secs(src.number(
                    "jobs.shutdown_grace_secs",
                    &["PALISADE_JOBS_SHUTDOWN_GRACE_SECS"],
                    30,
                    0..=3600,
                )),
            },
            outbound: src
                .outbound_policy("outbound.allow_cidrs", &["PALISADE_OUTBOUND_ALLOW_CIDRS"]),
            encryption_key: src
                .base64_key("encryption.key", &["PALISADE_ENCRYPTION_KEY"])
                .map(Secret::new),
            encryption_key_id: src.string(
                "encryption.key_id",
                &["PALISADE_ENCRYPTION_KEY_ID"],
                "k1",
            ),
            public_url: src.string(
                "public_url",
                &["PALISADE_PUBLIC_URL"],
                "https://localhost:8443",
            ),
            rate_limits: RATE_LIMIT_NAMES
                .iter()
                .filter_map(|(name, env)| {
                    src.optional_string(&format!("rate_limits.{name}"), &[env])
                        .map(|value| (name.to_string(), value))
                })
                .collect(),
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

/// The configurable rate limits and their environment variables.
pub const RATE_LIMIT_NAMES: [(&str, &str); 6] = [
    ("auth_per_ip", "PALISADE_RATE_LIMITS_AUTH_PER_IP"),
    ("auth_per_account", "PALISADE_RATE_LIMITS_AUTH_PER_ACCOUNT"),
    ("general_per_ip", "PALISADE_RATE_LIMITS_GENERAL_PER_IP"),
    ("general_per_principal", "PALISADE_RATE_LIMITS_GENERAL_PER_PRINCIPAL"),
    ("bulk_per_principal", "PALISADE_RATE_LIMITS_BULK_PER_PRINCIPAL"),
    ("expensive_per_principal", "PALISADE_RATE_LIMITS_EXPENSIVE_PER_PRINCIPAL"),
];

#[cfg(test)]
mod tests;
