//! How the alerts capability runs on this installation (`[alerts]`): the replay window of signed
//! pushes. The per-request limits are fixed (`MAX_INGEST_ITEMS`, `MAX_INGEST_BYTES`); what a
//! tenant decides (SLA targets, dedup keys) is `TenantAlertSettings`, stored per tenant.

use platform::config::Source;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct AlertsSettings {
    /// A signed push whose timestamp is further than this from the server's clock is refused as
    /// a replay.
    pub replay_window: Duration,
}

impl Default for AlertsSettings {
    fn default() -> Self {
        AlertsSettings { replay_window: Duration::from_secs(300) }
    }
}

impl AlertsSettings {
    pub fn read(src: &mut Source<'_>) -> AlertsSettings {
        AlertsSettings {
            replay_window: src.seconds(
                "alerts.replay_window_secs",
                &["PALISADE_ALERTS_REPLAY_WINDOW_SECS"],
                300,
                30..=3600,
            ),
        }
    }
}
