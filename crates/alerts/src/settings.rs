//! How the alerts capability runs on this installation (`[alerts]`): the replay window of signed
//! pushes and how many ingested batches are written at once. The per-request limits are fixed (`MAX_INGEST_ITEMS`, `MAX_INGEST_BYTES`); what a
//! tenant decides (SLA targets, dedup keys) is `TenantAlertSettings`, stored per tenant.

use platform::config::Source;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct AlertsSettings {
    /// A signed push whose timestamp is further than this from the server's clock is refused as
    /// a replay.
    pub replay_window: Duration,
    /// Ingested batches written at once by this process; the others wait their turn. Each
    /// write keeps a database core busy with index maintenance, and past a couple of them the
    /// writes only queue inside PostgreSQL while every read waits behind them.
    pub ingest_writers: usize,
}

impl Default for AlertsSettings {
    fn default() -> Self {
        AlertsSettings { replay_window: Duration::from_secs(300), ingest_writers: half_the_cores() }
    }
}

/// Half the machine's cores, at least one: writes get that many, reads the rest. Measured with
/// bench/alerts-ingest.sh on 2 cores: one writer keeps the queue's p99 at 31 ms under a flood
/// for 2,600 alerts/s; two give 2,900 alerts/s but a p99 of 73 ms.
fn half_the_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1))
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
            ingest_writers: src.number(
                "alerts.ingest_writers",
                &["PALISADE_ALERTS_INGEST_WRITERS"],
                half_the_cores(),
                1..=64,
            ),
        }
    }
}
