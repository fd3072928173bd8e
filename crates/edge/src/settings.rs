//! The settings of everything `Services` and the edge run, each section read by the crate that
//! owns it: platform (data dir, database, jobs, outbound), identity, notify, the HTTP edge and
//! its rate limits. The binary adds its own (listeners, TLS, logs) and reports every bad value at
//! once; tests start from `Settings::defaults()` and adjust.

use crate::rate_limit::RateLimits;
use identity::IdentitySettings;
use notify::NotifySettings;
use notify::feed::FeedSettings;
use notify::mail::MailSettings;
use platform::config::{PlatformSettings, Source};
use std::collections::HashMap;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Settings {
    pub platform: PlatformSettings,
    pub identity: IdentitySettings,
    pub notify: NotifySettings,
    /// The installation's own mail (invitations, password resets); `None` without `[mail]`.
    pub mail: Option<MailSettings>,
    pub feed: FeedSettings,
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
            mail: MailSettings::read(src),
            feed: FeedSettings::default(),
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
        }
    }
}
