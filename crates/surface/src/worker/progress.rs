//! While the engine scans: its events update a shared tally (hosts finished, port verdicts
//! reached), and a task writes the tally to the scan row about once a second, reads back
//! whether a cancel was asked for, and stops the scan on a cancel or past the longest duration.

use crate::model::{ScanId, ScanProgress};
use crate::service::Surface;
use crate::store;
use platform::TenantId;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use surface_engine::scan::{CancellationToken, ScanEvent};
use tokio::task::JoinHandle;

const EVERY: Duration = Duration::from_secs(1);

/// Why the scan stopped early, if it did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stopped {
    No,
    Cancelled,
    TimedOut,
}

pub(super) struct Tracker {
    tally: Arc<Mutex<ScanProgress>>,
    stopped: Arc<Mutex<Stopped>>,
    done: CancellationToken,
    task: JoinHandle<()>,
}

impl Tracker {
    pub(super) fn start(
        surface: Surface,
        tenant: TenantId,
        scan: ScanId,
        total: u64,
        cancel: CancellationToken,
    ) -> Tracker {
        let total = i64::try_from(total).unwrap_or(i64::MAX);
        let tally = Arc::new(Mutex::new(ScanProgress { done: 0, total, hosts_done: 0 }));
        let stopped = Arc::new(Mutex::new(Stopped::No));
        let done = CancellationToken::new();
        let max = surface.settings().scan.max_duration;
        let task = tokio::spawn(watch(
            surface,
            tenant,
            scan,
            tally.clone(),
            stopped.clone(),
            cancel,
            done.clone(),
            max,
        ));
        Tracker { tally, stopped, done, task }
    }

    /// Takes one engine event into the tally.
    pub(super) fn observe(&self, event: &ScanEvent<'_>) {
        let Ok(mut tally) = self.tally.lock() else { return };
        match event {
            ScanEvent::Progress(progress) => {
                tally.done = i64::try_from(progress.done).unwrap_or(i64::MAX);
            }
            ScanEvent::Host(_) => tally.hosts_done = tally.hosts_done.saturating_add(1),
        }
    }

    /// Stops the watcher and says why the scan stopped.
    pub(super) async fn finish(self) -> Stopped {
        self.done.cancel();
        let _ = self.task.await;
        self.stopped.lock().map(|s| *s).unwrap_or(Stopped::No)
    }
}

#[allow(clippy::too_many_arguments)]
async fn watch(
    surface: Surface,
    tenant: TenantId,
    scan: ScanId,
    tally: Arc<Mutex<ScanProgress>>,
    stopped: Arc<Mutex<Stopped>>,
    cancel: CancellationToken,
    done: CancellationToken,
    max: Duration,
) {
    let deadline = tokio::time::Instant::now() + max;
    let mut ticks = tokio::time::interval(EVERY);
    ticks.tick().await;
    loop {
        tokio::select! {
            _ = done.cancelled() => return,
            _ = tokio::time::sleep_until(deadline) => {
                stop(&stopped, &cancel, Stopped::TimedOut);
                return;
            }
            _ = ticks.tick() => {}
        }
        let snapshot = tally.lock().map(|t| *t).unwrap_or_default();
        match write(&surface, tenant, scan, snapshot).await {
            Ok(true) => {
                stop(&stopped, &cancel, Stopped::Cancelled);
                return;
            }
            Ok(false) => {}
            // A progress write that fails is only a stale progress bar: keep scanning.
            Err(error) => tracing::warn!(%scan, error = %error, "could not record scan progress"),
        }
    }
}

fn stop(stopped: &Mutex<Stopped>, cancel: &CancellationToken, why: Stopped) {
    if let Ok(mut stopped) = stopped.lock() {
        *stopped = why;
    }
    cancel.cancel();
}

async fn write(
    surface: &Surface,
    tenant: TenantId,
    scan: ScanId,
    progress: ScanProgress,
) -> anyhow::Result<bool> {
    let mut tx = surface.db().tenant_tx(tenant).await?;
    let cancel = store::scans::progress(&mut tx, scan, progress).await?;
    tx.commit().await?;
    Ok(cancel)
}
