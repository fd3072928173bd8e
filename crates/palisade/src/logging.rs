//! Logs to standard error: human-readable lines on a terminal and one JSON object per line
//! otherwise (`log.format = auto`, the default), carrying the fields of the current span
//! (request id, route, tenant id). Without a configured filter, Palisade's own events show at
//! info and the libraries' start-up chatter (migration steps, PostgreSQL notices, connection
//! pools) only at warn, so that the first screen shows where Palisade listens and little else.

use crate::config::{LogConfig, LogFormat};
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// The filter when none is configured.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn,graphile_worker=warn,graphile_worker_migrations=warn,\
     graphile_worker_crontab_runner=warn,hyper=warn,h2=warn,rustls=warn,tower_http=warn";

pub fn init(config: &LogConfig) {
    let directive = config.filter.as_deref().unwrap_or(DEFAULT_FILTER);
    // Checked when the configuration was read; a default that does not parse falls back.
    let filter = EnvFilter::try_new(directive).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let text = match config.format {
        LogFormat::Auto => std::io::stderr().is_terminal(),
        LogFormat::Text => true,
        LogFormat::Json => false,
    };
    let result = match text {
        false => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .flatten_event(true)
            .try_init(),
        true => builder.compact().with_target(false).try_init(),
    };
    if result.is_err() {
        eprintln!("palisade: logging was already initialized");
    }
}
