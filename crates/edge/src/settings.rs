//! The settings of everything `Services` and the edge run, each section read by the crate that
//! owns it: platform (data dir, database, jobs, outbound), identity, notify, the HTTP edge and
//! its rate limits. The binary adds its own (listeners, TLS, logs) and reports every bad value at
//! once; tests start from `Settings::defaults()` and adjust. Diffscan reads `[diffscan]`.

use crate::middleware::client_addr::TrustedProxies;
use crate::rate_limit::RateLimits;
use alerts::AlertsSettings;
use diffscan::DiffscanSettings;
use identity::IdentitySettings;
use notify::NotifySettings;
use notify::feed::FeedSettings;
use notify::mail::MailSettings;
use platform::Secret;
use platform::config::{PlatformSettings, Source};
use platform::outbound::Cidr;
use std::collections::HashMap;
use std::time::Duration;
use surface::SurfaceSettings;

#[derive(Clone, Debug)]
pub struct Settings {
    pub platform: PlatformSettings,
    pub identity: IdentitySettings,
    pub notify: NotifySettings,
    pub surface: SurfaceSettings,
    /// The installation's own mail (invitations, password resets); `None` without `[mail]`.
    pub mail: Option<MailSettings>,
    pub feed: FeedSettings,
    pub alerts: AlertsSettings,
    pub diffscan: DiffscanSettings,
    pub http: HttpSettings,
    pub limits: RateLimits,
}

impl Settings {
    pub fn read(src: &mut Source<'_>) -> Settings {
        let notify = NotifySettings::read(src);
        let mut identity = IdentitySettings::read(src);
        identity.public_url = notify.public_url.clone();
        Settings {
            platform: PlatformSettings::read(src),
            identity,
            notify,
            surface: SurfaceSettings::read(src),
            mail: MailSettings::read(src),
            feed: FeedSettings::default(),
            alerts: AlertsSettings::read(src),
            diffscan: DiffscanSettings::read(src),
            http: HttpSettings::read(src),
            limits: RateLimits::read(src),
        }
    }

    /// Every default, as an empty configuration gives them.
    pub fn defaults() -> Settings {
        let env = HashMap::new();
        Settings::read(&mut Source::empty(&env))
    }
}

/// How the HTTP edge treats requests.
#[derive(Clone, Debug)]
pub struct HttpSettings {
    pub body_limit_bytes: usize,
    pub request_timeout: Duration,
    /// Whether HSTS may be sent: only when clients reach us over HTTPS (not behind a proxy that
    /// terminates TLS). Set by the binary from its TLS settings.
    pub https: bool,
    pub connections: ConnectionSettings,
    /// Proxies whose `Forwarded`/`X-Forwarded-For` name the client (`http.trusted_proxies`).
    pub trusted_proxies: TrustedProxies,
    /// Paths (prefixes) allowed a larger body than `body_limit_bytes`, and their limit: set by
    /// the router that serves them (the alert ingestion routes take 10 MiB).
    pub route_body_limits: Vec<(String, usize)>,
    /// When set, `/metrics` answers only `Authorization: Bearer <token>` (`metrics.token`).
    pub metrics_token: Option<Secret<String>>,
}

/// What one connection may hold (see `server`).
#[derive(Clone, Debug)]
pub struct ConnectionSettings {
    /// The TLS handshake and the first request's headers (and, over HTTP/1.1, each next
    /// request's headers) must arrive within this.
    pub header_read_timeout: Duration,
    /// A connection with no byte in or out for this long is closed.
    pub idle_timeout: Duration,
    pub max_connections: usize,
    /// Open connections from one client address (an IPv6 /64 counts as one).
    pub max_connections_per_ip: usize,
}

impl HttpSettings {
    pub fn read(src: &mut Source<'_>) -> HttpSettings {
        HttpSettings {
            body_limit_bytes: src.number(
                "http.body_limit_bytes",
                &["PALISADE_HTTP_BODY_LIMIT_BYTES"],
                1024 * 1024,
                1024..=1024 * 1024 * 1024,
            ),
            request_timeout: src.seconds(
                "http.request_timeout_secs",
                &["PALISADE_HTTP_REQUEST_TIMEOUT_SECS"],
                30,
                1..=3600,
            ),
            https: true,
            connections: ConnectionSettings::read(src),
            metrics_token: src
                .optional_string("metrics.token", &["PALISADE_METRICS_TOKEN"])
                .map(Secret::new),
            trusted_proxies: src.parsed(
                "http.trusted_proxies",
                &["PALISADE_HTTP_TRUSTED_PROXIES"],
                TrustedProxies::default(),
                |text| {
                    Cidr::parse_list(text)
                        .map(TrustedProxies::new)
                        .map_err(|e| format!("is not a list of CIDRs: {e}"))
                },
            ),
            route_body_limits: Vec::new(),
        }
    }
}

impl ConnectionSettings {
    fn read(src: &mut Source<'_>) -> ConnectionSettings {
        ConnectionSettings {
            header_read_timeout: src.seconds(
                "http.header_read_timeout_secs",
                &["PALISADE_HTTP_HEADER_READ_TIMEOUT_SECS"],
                10,
                1..=300,
            ),
            idle_timeout: src.seconds(
                "http.idle_timeout_secs",
                &["PALISADE_HTTP_IDLE_TIMEOUT_SECS"],
                60,
                1..=3600,
            ),
            max_connections: src.number(
                "http.max_connections",
                &["PALISADE_HTTP_MAX_CONNECTIONS"],
                4096,
                1..=1_000_000,
            ),
            max_connections_per_ip: src.number(
                "http.max_connections_per_ip",
                &["PALISADE_HTTP_MAX_CONNECTIONS_PER_IP"],
                256,
                1..=1_000_000,
            ),
        }
    }
}
