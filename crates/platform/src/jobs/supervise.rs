//! Keeps a runner running. The library stops a worker as soon as one of its job slots meets a
//! database error (a restarted server, a dropped connection); the supervisor then starts a new
//! worker (a new worker id) after a backoff, until a stop is requested. Jobs the failed worker
//! could not release are recovered by the heartbeat sweep like those of a dead process.

use super::JobsError;
use super::runner::Settings;
use graphile_worker::Worker;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

const FIRST_RETRY: Duration = Duration::from_secs(1);
const LAST_RETRY: Duration = Duration::from_secs(30);
/// A worker that ran this long before failing starts the backoff over.
const HEALTHY_RUN: Duration = Duration::from_secs(60);

/// The current worker's id, shared with the `JobRunner` handle.
pub(super) type WorkerId = Arc<Mutex<String>>;

pub(super) fn set_worker_id(current: &WorkerId, worker: &Worker) {
    if let Ok(mut id) = current.lock() {
        id.clone_from(worker.worker_id());
    }
}

/// Whether a stop was requested (or every handle is gone, which means the same).
fn stopping(stop: &watch::Receiver<bool>) -> bool {
    *stop.borrow() || stop.has_changed().is_err()
}

/// Runs `first` (or, when `None`, a worker it starts itself) and its successors until a stop is
/// requested. Returns the last worker's result when it stopped because it was asked to.
pub(super) async fn supervise(
    settings: Arc<Settings>,
    first: Option<Worker>,
    mut stop: watch::Receiver<bool>,
    current: WorkerId,
) -> Result<(), JobsError> {
    let mut retry_in = FIRST_RETRY;
    let mut worker = match first {
        Some(worker) => worker,
        None => match next_worker(&settings, &mut stop, &mut retry_in, false).await {
            Some(worker) => worker,
            None => return Ok(()),
        },
    };
    loop {
        set_worker_id(&current, &worker);
        let started = Instant::now();
        let result = worker.run().await;
        let worker_id = worker.worker_id().clone();
        drop(worker);
        if stopping(&stop) {
            return result.map_err(JobsError::Run);
        }
        match result {
            Ok(()) => tracing::warn!(worker_id, "the job runner stopped unasked; restarting it"),
            Err(e) => {
                tracing::error!(worker_id, error = %e, "the job runner failed; restarting it")
            }
        }
        if started.elapsed() >= HEALTHY_RUN {
            retry_in = FIRST_RETRY;
        }
        worker = match next_worker(&settings, &mut stop, &mut retry_in, true).await {
            Some(worker) => worker,
            None => return Ok(()),
        };
    }
}

/// Starts a worker, retrying with backoff (and waiting one backoff first when `wait_first`);
/// `None` when a stop is requested meanwhile.
async fn next_worker(
    settings: &Settings,
    stop: &mut watch::Receiver<bool>,
    retry_in: &mut Duration,
    mut wait: bool,
) -> Option<Worker> {
    loop {
        if wait {
            tokio::select! {
                _ = tokio::time::sleep(*retry_in) => {}
                _ = stop.wait_for(|stop| *stop) => return None,
            }
            *retry_in = (*retry_in * 2).min(LAST_RETRY);
        }
        if stopping(stop) {
            return None;
        }
        match settings.options(stop.clone()).init().await {
            Ok(worker) => {
                tracing::debug!(worker_id = %worker.worker_id(), "job runner started");
                return Some(worker);
            }
            Err(e) => tracing::error!(
                error = %e,
                retry_in_secs = retry_in.as_secs(),
                "the job runner cannot start (are the migrations applied? `palisade migrate`)"
            ),
        }
        wait = true;
    }
}
