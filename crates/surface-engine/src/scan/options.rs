//! How a scan behaves: how many attempts run at once, how long one waits, how often a silent port
//! is retried, how fast attempts may start, when a host is judged to answer on every port, and
//! whether open ports get a service hint and a TLS probe.
//!
//! The defaults suit a scan across the internet from one machine; tests and the benchmark shorten
//! the waits. It must not hold targets or ports: those are arguments of [`super::scan`].

use std::num::{NonZeroU32, NonZeroUsize};
use std::time::Duration;

/// Scan settings. Every field has a sound default ([`ScanOptions::default`]).
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Connection attempts in flight at once; also the most sockets the scan holds open, so keep
    /// it well below the process's open-file limit.
    pub concurrency: NonZeroUsize,
    /// How long one attempt waits for the SYN's answer before the port counts as silent.
    pub connect_timeout: Duration,
    /// How many more times a silent port is tried before it is reported filtered.
    pub timeout_retries: u8,
    /// At most this many connection attempts start per second (each sends one SYN, plus the
    /// kernel's own retransmissions while it waits); `None` for no cap.
    pub connects_per_second: Option<NonZeroU32>,
    /// When a host counts as answering on every port (a WAF or SYN proxy) instead of listing them.
    pub all_open: AllOpenRule,
    /// Read a banner (and send at most one harmless probe) on open ports for a service hint.
    pub service_hints: bool,
    /// How long to wait for a server that speaks first (SSH, SMTP, FTP...) before probing.
    pub greeting_wait: Duration,
    /// How long to wait for the answer to a probe.
    pub probe_reply_wait: Duration,
    /// Run a TLS handshake on open ports that may speak TLS and record the certificate chain.
    pub tls: bool,
    /// How long one TLS handshake may take.
    pub tls_timeout: Duration,
    /// Tasks that start connections; one per core the runtime may use is plenty.
    pub sweepers: NonZeroUsize,
}

/// A host answers on "all ports" when more than `max_open_ports` of the scanned ports answer, or,
/// in a scan of at least [`AllOpenRule::SHARE_APPLIES_FROM`] ports, more than
/// `max_open_share_percent` percent of them do. Such a host is reported with `all_ports_open` and
/// no port list, since its answers say nothing about what really listens behind it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllOpenRule {
    pub max_open_ports: usize,
    pub max_open_share_percent: u8,
}

impl AllOpenRule {
    /// Below this many scanned ports the share is not judged (three open ports out of three is an
    /// ordinary web server).
    pub const SHARE_APPLIES_FROM: usize = 20;

    /// Whether `open` answering ports out of `scanned` make the host an all-ports-open host.
    pub fn is_all_open(&self, open: usize, scanned: usize) -> bool {
        let share_applies = scanned >= Self::SHARE_APPLIES_FROM;
        open > self.max_open_ports
            || (share_applies && open * 100 > scanned * usize::from(self.max_open_share_percent))
    }
}

impl Default for AllOpenRule {
    fn default() -> Self {
        AllOpenRule { max_open_ports: 256, max_open_share_percent: 90 }
    }
}

impl Default for ScanOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        ScanOptions {
            concurrency: NonZeroUsize::new(512).unwrap_or(NonZeroUsize::MIN),
            connect_timeout: Duration::from_millis(1500),
            timeout_retries: 1,
            connects_per_second: None,
            all_open: AllOpenRule::default(),
            service_hints: true,
            greeting_wait: Duration::from_secs(1),
            probe_reply_wait: Duration::from_secs(2),
            tls: false,
            tls_timeout: Duration::from_secs(5),
            sweepers: NonZeroUsize::new(cores.clamp(1, 4)).unwrap_or(NonZeroUsize::MIN),
        }
    }
}
