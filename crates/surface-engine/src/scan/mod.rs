//! The scanner: an async TCP connect scan of targets × ports. It classifies each port as open
//! (connected, then confirmed by a second connection), closed (RST or refused; also a TCP
//! self-connect, which happens on loopback) or filtered (no answer after the retries, or ICMP
//! unreachable); flags a host that answers on too many ports as `all_ports_open`; reads a short
//! banner for a service hint; and, when asked, probes TLS on open ports.
//!
//! Hosts are reported as they finish (for JSON Lines output), progress is reported as done/total
//! port verdicts, and the caller's token stops everything promptly. It must not resolve names nor
//! judge which addresses may be scanned: targets arrive as addresses the SSRF guard checked.
//!
//! It spawns tasks on the current tokio runtime, which needs its I/O and time drivers enabled.

mod connect;
mod dialer;
mod examine;
mod options;
mod report;
mod shared;
mod sweep;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;
pub use tokio_util::sync::CancellationToken;

pub use options::{AllOpenRule, ScanOptions};
pub use report::{HostReport, OpenPort, PortCounts};

use crate::tls::{TlsProber, TlsSetupError};
use crate::values::{PortSpec, ScanTarget};
use shared::{Parts, Shared};

/// How often progress is reported while nothing else happens.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Port verdicts reached so far out of all the scan will reach (targets × ports).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

/// What the scan tells its caller while it runs.
#[derive(Debug)]
pub enum ScanEvent<'a> {
    Progress(Progress),
    /// A host is finished; its report will not change.
    Host(&'a HostReport),
}

/// What a scan returns: the reports of every finished host, ordered by target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanSummary {
    pub hosts: Vec<HostReport>,
    /// The caller's token stopped the scan; unfinished hosts are left out.
    pub cancelled: bool,
    pub progress: Progress,
}

/// Why a scan could not start.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    TlsSetup(#[from] TlsSetupError),
}

/// Scans every port of `ports` on every target, calling `on_event` with progress and with each
/// host as it finishes, until done or until `cancel` is triggered.
pub async fn scan(
    targets: &[ScanTarget],
    ports: &PortSpec,
    options: &ScanOptions,
    cancel: &CancellationToken,
    mut on_event: impl FnMut(ScanEvent<'_>),
) -> Result<ScanSummary, ScanError> {
    let tls = if options.tls { Some(TlsProber::new()?) } else { None };
    let stop = cancel.child_token();
    // Dropping this future (the caller gave up on it) stops every task the scan started.
    let _stop_when_dropped = stop.clone().drop_guard();
    let total = targets.len() as u64 * ports.len() as u64;
    let done = Arc::new(AtomicU64::new(0));
    let (reports, mut finished) = mpsc::unbounded_channel();
    let shared = Arc::new(Shared::new(Parts {
        options: options.clone(),
        targets: targets.to_vec(),
        ports: ports.iter().collect(),
        tls,
        stop,
        done: Arc::clone(&done),
        reports,
    }));
    for _ in 0..options.sweepers.get() {
        tokio::spawn(sweep::sweeper(Arc::clone(&shared)));
    }
    // From here on only the tasks hold the shared state; the channel closes with the last one.
    drop(shared);
    let mut hosts = Vec::new();
    let mut reported = None;
    let mut ticks = tokio::time::interval(PROGRESS_EVERY);
    loop {
        tokio::select! {
            report = finished.recv() => match report {
                Some(report) => {
                    report_progress(&done, total, &mut reported, &mut on_event);
                    on_event(ScanEvent::Host(&report));
                    hosts.push(report);
                }
                None => break,
            },
            _ = ticks.tick() => report_progress(&done, total, &mut reported, &mut on_event),
        }
    }
    report_progress(&done, total, &mut reported, &mut on_event);
    hosts.sort_by(|a, b| a.target.cmp(&b.target));
    let progress = Progress { done: done.load(Ordering::Relaxed), total };
    Ok(ScanSummary { hosts, cancelled: cancel.is_cancelled(), progress })
}

/// Reports progress when it moved since the last report.
fn report_progress(
    done: &AtomicU64,
    total: u64,
    reported: &mut Option<u64>,
    on_event: &mut impl FnMut(ScanEvent<'_>),
) {
    let now = done.load(Ordering::Relaxed);
    if *reported != Some(now) {
        *reported = Some(now);
        on_event(ScanEvent::Progress(Progress { done: now, total }));
    }
}
