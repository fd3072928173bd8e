//! How notify behaves: the console link in messages, timeouts, the retry backoff and the relay's
//! capacity. Built from the configuration by the binary (and by tests, with a short backoff).

use crate::relay::RelaySettings;
use platform::config::Source;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct NotifySettings {
    /// The console's address as users reach it; messages link to `{public_url}/events/{id}`.
    pub public_url: String,
    /// The wait after the first failed attempt; each further failure waits four times longer
    /// (base, 4·base, 16·base, 64·base).
    pub backoff_base: Duration,
    /// The whole of one attempt (resolution, connection, request, response): at most this long.
    pub send_timeout: Duration,
    /// How the relay shares its capacity between tenants and channels.
    pub relay: RelaySettings,
}

impl NotifySettings {
    pub fn new(public_url: impl Into<String>) -> Self {
        Self {
            public_url: public_url.into(),
            backoff_base: Duration::from_secs(10),
            send_timeout: Duration::from_secs(10),
            relay: RelaySettings::default(),
        }
    }

    /// The notification settings of the configuration: `public_url` and `[encryption]`.
    pub fn read(src: &mut Source<'_>) -> NotifySettings {
        let public_url =
            src.string("public_url", &["PALISADE_PUBLIC_URL"], "https://localhost:8443");
        let relay = RelaySettings::read(src);
        NotifySettings { relay, ..NotifySettings::new(public_url) }
    }

    /// How long to wait after the `attempts`-th failed attempt (from 1).
    pub fn backoff(&self, attempts: i32) -> Duration {
        let exponent = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
        self.backoff_base.saturating_mul(4u32.saturating_pow(exponent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_four_times_per_failed_attempt() {
        let settings = NotifySettings::new("https://palisade.test");
        let waits: Vec<u64> = (1..=4).map(|n| settings.backoff(n).as_secs()).collect();
        assert_eq!(waits, [10, 40, 160, 640]);
        let fast = NotifySettings { backoff_base: Duration::from_millis(50), ..settings };
        assert_eq!(fast.backoff(2), Duration::from_millis(200));
        assert_eq!(fast.backoff(0), Duration::from_millis(50));
    }
}
