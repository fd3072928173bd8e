//! The binary's whole configuration: its own settings (listeners, TLS, logs, shutdown) and every
//! section the services and the edge read (`edge::Settings`), from one TOML file overridden by
//! `PALISADE_*` environment variables. Every bad value, and every unknown key, is reported at
//! once, one line each, before anything runs.
//!
//! It only parses the text and environment it is given; `settings::load` reads them.

use edge::Settings;
use platform::config::{ConfigErrors, Origin, Source};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    /// The HTTPS listener.
    pub listen: SocketAddr,
    /// The plain-HTTP listener that only redirects to HTTPS; `None` when turned off.
    pub redirect_listen: Option<SocketAddr>,
    pub tls: TlsConfig,
    pub log: LogConfig,
    /// How long in-flight requests may finish after SIGINT or SIGTERM.
    pub shutdown_grace: Duration,
    /// What the services and the HTTP edge run with.
    pub app: Settings,
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
    /// Text on a terminal, JSON otherwise (a service manager, a pipe, a file).
    Auto,
    Json,
    Text,
}

#[derive(Clone, Debug)]
pub struct LogConfig {
    /// A `tracing` filter directive such as `info` or `palisade=debug,info`; when none is
    /// configured, `logging::DEFAULT_FILTER` (ours at info, libraries' start-up chatter hidden).
    pub filter: Option<String>,
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
        let tls = TlsConfig::read(&mut src);
        let mut config = Config {
            listen: src.socket_addr("listen", &["PALISADE_LISTEN"], "0.0.0.0:8443"),
            redirect_listen: src.optional_socket_addr(
                "redirect_listen",
                &["PALISADE_REDIRECT_LISTEN"],
                "0.0.0.0:8080",
            ),
            log: LogConfig::read(&mut src),
            shutdown_grace: src.seconds(
                "http.shutdown_grace_secs",
                &["PALISADE_HTTP_SHUTDOWN_GRACE_SECS"],
                30,
                0..=3600,
            ),
            app: Settings::read(&mut src),
            tls,
        };
        config.app.http.https = !config.tls.behind_proxy;
        src.finish()?;
        Ok(config)
    }
}

impl TlsConfig {
    fn read(src: &mut Source<'_>) -> TlsConfig {
        let tls = TlsConfig {
            cert_file: src
                .optional_string("tls.cert_file", &["PALISADE_TLS_CERT_FILE"])
                .map(PathBuf::from),
            key_file: src
                .optional_string("tls.key_file", &["PALISADE_TLS_KEY_FILE"])
                .map(PathBuf::from),
            hostnames: src.hostnames("tls.hostnames", &["PALISADE_TLS_HOSTNAMES"], "localhost"),
            behind_proxy: src.boolean("tls.behind_proxy", &["PALISADE_TLS_BEHIND_PROXY"], false),
        };
        if tls.cert_file.is_some() != tls.key_file.is_some() {
            src.error(
                "tls.cert_file",
                Origin::Both,
                "tls.cert_file and tls.key_file must be set together",
            );
        }
        tls
    }
}

impl LogConfig {
    fn read(src: &mut Source<'_>) -> LogConfig {
        let filter = src.parsed("log.filter", &["PALISADE_LOG", "RUST_LOG"], None, |text| {
            match tracing_subscriber::EnvFilter::try_new(text) {
                Ok(_) => Ok(Some(text.to_string())),
                Err(e) => Err(format!("is not a log filter: {e}")),
            }
        });
        LogConfig {
            filter,
            format: src.parsed(
                "log.format",
                &["PALISADE_LOG_FORMAT"],
                LogFormat::Auto,
                |s| match s {
                    "auto" => Ok(LogFormat::Auto),
                    "json" => Ok(LogFormat::Json),
                    "text" | "pretty" => Ok(LogFormat::Text),
                    _ => Err("is not a log format (auto, json or text)".into()),
                },
            ),
        }
    }
}

#[cfg(test)]
mod tests;
