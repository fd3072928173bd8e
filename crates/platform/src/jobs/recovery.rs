//! Recovery of the jobs of a runner that died: its settings. The mechanism is the library's
//! heartbeat sweep; see `runner`.

use std::time::Duration;

/// How the jobs of a runner that died (killed, crashed, cut off from the database) come back.
/// A job held by a dead runner is runnable again at most `sweep_threshold + sweep_interval +
/// recovery_delay` after its runner's last heartbeat: 6½ minutes with the defaults.
#[derive(Clone, Debug)]
pub struct Recovery {
    /// How often a live runner refreshes its heartbeat.
    pub heartbeat_interval: Duration,
    /// How often each runner looks for dead ones.
    pub sweep_interval: Duration,
    /// How old a heartbeat must be for its runner to count as dead. Keep it many heartbeat
    /// intervals long: a runner declared dead while alive has its jobs run a second time.
    pub sweep_threshold: Duration,
    /// How long a recovered job waits before it may run again.
    pub recovery_delay: Duration,
}

impl Default for Recovery {
    /// The library's defaults: heartbeat 30 s, sweep 60 s, threshold 5 min, delay 30 s.
    fn default() -> Self {
        Self {
            heartbeat_interval: Duration::from_secs(30),
            sweep_interval: Duration::from_secs(60),
            sweep_threshold: Duration::from_secs(300),
            recovery_delay: Duration::from_secs(30),
        }
    }
}
