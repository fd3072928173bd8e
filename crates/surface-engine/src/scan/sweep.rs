//! The sweep: every (host, port) pair of a scan tried until it has a verdict, host after host,
//! by a few sweeper tasks that start connections and look at them at once. Only attempts still
//! waiting for an answer are handed to a task of their own, so a sweep of 65,535 refused ports
//! costs about one socket each and no task.
//!
//! Each host keeps a tally; the sweep ends a host's tally when its last port has a verdict and
//! starts the host's examination. A host that answers on more ports than the all-open rule allows
//! is not swept further. It must not read from or write to a connection: a sweep only connects.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::connect::{Attempt, Started};
use super::examine;
use super::options::AllOpenRule;
use super::report::PortCounts;
use super::shared::Shared;
use crate::values::ScanTarget;

/// Pairs a sweeper takes from the cursor at a time.
const BATCH: usize = 32;

/// Where the sweep has got to: the next host and port to hand out.
#[derive(Debug, Default)]
pub(super) struct Cursor {
    next_host: usize,
    next_port: usize,
    current: Option<Arc<HostTally>>,
}

/// One host's verdicts while it is swept.
#[derive(Debug)]
pub(super) struct HostTally {
    pub(super) target: ScanTarget,
    remaining: AtomicUsize,
    all_open: AtomicBool,
    findings: Mutex<SweepFindings>,
}

/// What the sweep found on a host: the ports that answered, and the counts of the others.
#[derive(Debug, Default)]
pub(super) struct SweepFindings {
    pub(super) answered: Vec<u16>,
    pub(super) counts: PortCounts,
    /// The first failure on our side, as the OS described it.
    pub(super) failure: Option<String>,
}

/// A port's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    Answered,
    Closed,
    Filtered,
    /// Our own failure, with the OS error number when there was one.
    Failed(Option<i32>),
    Skipped,
}

impl Cursor {
    /// Hands out up to [`BATCH`] pairs, all ports of a host before the next host.
    fn next_batch(&mut self, shared: &Shared, out: &mut Vec<(Arc<HostTally>, u16)>) {
        while out.len() < BATCH {
            let host = match &self.current {
                Some(host) => Arc::clone(host),
                None => {
                    let Some(target) = shared.targets.get(self.next_host) else { return };
                    let host = Arc::new(HostTally::new(target.clone(), shared.ports.len()));
                    self.current = Some(Arc::clone(&host));
                    self.next_host += 1;
                    self.next_port = 0;
                    host
                }
            };
            match shared.ports.get(self.next_port) {
                Some(port) => {
                    out.push((host, *port));
                    self.next_port += 1;
                }
                None => self.current = None,
            }
        }
    }
}

impl HostTally {
    fn new(target: ScanTarget, ports: usize) -> HostTally {
        HostTally {
            target,
            remaining: AtomicUsize::new(ports),
            all_open: AtomicBool::new(false),
            findings: Mutex::new(SweepFindings::default()),
        }
    }

    /// Whether so many ports answered already that the host counts as all-open.
    pub(super) fn is_all_open(&self) -> bool {
        self.all_open.load(Ordering::Acquire)
    }

    /// The findings, once the last port has its verdict.
    pub(super) fn take_findings(&self) -> SweepFindings {
        std::mem::take(&mut *self.lock())
    }

    /// Records one verdict; true when it was the host's last port.
    fn record(&self, port: u16, verdict: Verdict, rule: &AllOpenRule) -> bool {
        {
            let mut findings = self.lock();
            if verdict == Verdict::Answered {
                findings.answered.push(port);
                if findings.answered.len() > rule.max_open_ports {
                    self.all_open.store(true, Ordering::Release);
                }
            }
            verdict.count_into(&mut findings.counts);
            if findings.failure.is_none() {
                findings.failure = verdict.failure();
            }
        }
        self.remaining.fetch_sub(1, Ordering::AcqRel) == 1
    }

    fn lock(&self) -> MutexGuard<'_, SweepFindings> {
        self.findings.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Verdict {
    /// The verdict of a finished attempt; a connection is closed at once, with a RST.
    pub(super) fn of(attempt: Attempt) -> Verdict {
        match attempt {
            Attempt::Connected(connection) => {
                connection.abort();
                Verdict::Answered
            }
            Attempt::Refused => Verdict::Closed,
            Attempt::TimedOut | Attempt::Unreachable => Verdict::Filtered,
            Attempt::LocalError(error) => Verdict::Failed(error.raw_os_error()),
        }
    }

    /// Adds the verdict to the counts; answered ports are counted when confirmed.
    pub(super) fn count_into(self, counts: &mut PortCounts) {
        match self {
            Verdict::Answered => {}
            Verdict::Closed => counts.closed += 1,
            Verdict::Filtered => counts.filtered += 1,
            Verdict::Failed(_) => counts.failed += 1,
            Verdict::Skipped => counts.skipped += 1,
        }
    }
}

impl Verdict {
    /// What went wrong on our side, for the report.
    pub(super) fn failure(self) -> Option<String> {
        match self {
            Verdict::Failed(Some(code)) => {
                Some(std::io::Error::from_raw_os_error(code).to_string())
            }
            Verdict::Failed(None) => Some("the connection could not be attempted".to_owned()),
            _ => None,
        }
    }
}

/// One sweeper: takes pairs from the cursor until none are left or the scan stops.
pub(super) async fn sweeper(shared: Arc<Shared>) {
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        shared
            .cursor
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .next_batch(&shared, &mut batch);
        if batch.is_empty() {
            return;
        }
        for (host, port) in batch.drain(..) {
            if shared.stop.is_cancelled() {
                return;
            }
            sweep_port(&shared, host, port).await;
        }
        // Most attempts finish without ever waiting; let other tasks run between batches.
        tokio::task::yield_now().await;
    }
}

async fn sweep_port(shared: &Arc<Shared>, host: Arc<HostTally>, port: u16) {
    if host.is_all_open() {
        settle(shared, &host, port, Verdict::Skipped);
        return;
    }
    let Some(slot) = shared.slot().await else { return };
    let peer = SocketAddr::new(host.target.address(), port);
    let started = tokio::select! {
        () = shared.stop.cancelled() => return,
        started = shared.dialer.start(peer) => started,
    };
    match started {
        Started::Done(attempt) if !matches!(attempt, Attempt::LocalError(_)) => {
            let verdict = Verdict::of(attempt);
            drop(slot);
            settle(shared, &host, port, verdict);
        }
        still_open => {
            let shared = Arc::clone(shared);
            tokio::spawn(async move {
                let attempt = tokio::select! {
                    () = shared.stop.cancelled() => return,
                    attempt = shared.dialer.complete(still_open, peer) => attempt,
                };
                let verdict = Verdict::of(attempt);
                drop(slot);
                settle(&shared, &host, port, verdict);
            });
        }
    }
}

/// Records a verdict and, after a host's last port, starts examining the host.
fn settle(shared: &Arc<Shared>, host: &Arc<HostTally>, port: u16, verdict: Verdict) {
    shared.done.fetch_add(1, Ordering::Relaxed);
    if host.record(port, verdict, &shared.options.all_open) {
        tokio::spawn(examine::examine_host(Arc::clone(shared), Arc::clone(host)));
    }
}
