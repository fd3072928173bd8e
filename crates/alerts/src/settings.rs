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
    /// write keeps a database core busy with index maintenance, and holds a connection of the
    /// pool for its whole transaction.
    pub ingest_writers: usize,
}

impl Default for AlertsSettings {
    fn default() -> Self {
        AlertsSettings {
            replay_window: Duration::from_secs(300),
            ingest_writers: default_writers(),
        }
    }
}

/// One writer per core, at most four (a quarter of the default pool of 16 connections, so a
/// flood of pushes cannot hold the connections the reads need). Measured with
/// bench/alerts-ingest.sh on 2 cores: two writers commit 3,200 to 3,800 alerts/s with the
/// queue's p99 at 39 to 45 ms; one gives 2,800 alerts/s at 23 ms. Two writers used to cost the
/// queue a p99 of 73 to 82 ms, before batches were prepared on threads below the request path's
/// priority and the queue's reads stopped waiting for a COMMIT.
fn default_writers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
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
                default_writers(),
                1..=64,
            ),
        }
    }
}
