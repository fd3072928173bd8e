//! The state one scan's tasks share: settings, the targets and ports, the dialer, the slots that
//! bound how many connections are in flight, the stop signal, the progress counter, and the
//! channel finished hosts are sent on.
//!
//! The channel closes when the last task lets go of this state, which is how the scan knows that
//! every host has been reported. It must not hold per-host results; those live in each host's
//! tally until the host is examined.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio_util::sync::CancellationToken;

use super::dialer::Dialer;
use super::options::ScanOptions;
use super::report::HostReport;
use super::sweep::Cursor;
use crate::tls::TlsProber;
use crate::values::ScanTarget;

#[derive(Debug)]
pub(super) struct Shared {
    pub(super) options: ScanOptions,
    pub(super) targets: Vec<ScanTarget>,
    pub(super) ports: Vec<u16>,
    pub(super) dialer: Dialer,
    pub(super) tls: Option<TlsProber>,
    pub(super) stop: CancellationToken,
    /// Sweep verdicts so far, for progress.
    pub(super) done: Arc<AtomicU64>,
    pub(super) reports: mpsc::UnboundedSender<HostReport>,
    pub(super) cursor: Mutex<Cursor>,
    slots: Arc<Semaphore>,
}

/// Everything [`Shared::new`] needs, named.
#[derive(Debug)]
pub(super) struct Parts {
    pub(super) options: ScanOptions,
    pub(super) targets: Vec<ScanTarget>,
    pub(super) ports: Vec<u16>,
    pub(super) tls: Option<TlsProber>,
    pub(super) stop: CancellationToken,
    pub(super) done: Arc<AtomicU64>,
    pub(super) reports: mpsc::UnboundedSender<HostReport>,
}

impl Shared {
    pub(super) fn new(parts: Parts) -> Shared {
        let options = parts.options;
        let dialer = Dialer::new(
            options.connect_timeout,
            options.timeout_retries,
            super::dialer::RateLimiter::new(options.connects_per_second),
        );
        let slots = Arc::new(Semaphore::new(options.concurrency.get()));
        Shared {
            options,
            targets: parts.targets,
            ports: parts.ports,
            dialer,
            tls: parts.tls,
            stop: parts.stop,
            done: parts.done,
            reports: parts.reports,
            cursor: Mutex::new(Cursor::default()),
            slots,
        }
    }

    /// A slot for one connection in flight, or `None` once the scan is stopping.
    pub(super) async fn slot(&self) -> Option<OwnedSemaphorePermit> {
        if let Ok(slot) = Arc::clone(&self.slots).try_acquire_owned() {
            return Some(slot);
        }
        tokio::select! {
            () = self.stop.cancelled() => None,
            slot = Arc::clone(&self.slots).acquire_owned() => slot.ok(),
        }
    }
}
