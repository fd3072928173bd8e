//! Surface's background jobs, each enqueued in the transaction of the write that needs it:
//!
//! * [`RunScan`]: runs one queued scan, in the asset's own serial queue
//!   (`surface.scan:<asset id>`), so the scans of one asset never overlap whatever the number
//!   of workers;
//! * [`ScheduledScan`]: at an asset's next scheduled time, queues a scan and the next
//!   occurrence (one pending per asset, keyed `surface.schedule:<asset id>`);
//! * [`RecheckAuthorization`]: checks an asset's proof again after `recheck_interval` and
//!   revokes it when the proof is gone (keyed `surface.recheck:<asset id>`).
//!
//! Payloads carry the tenant and ids only; handlers open the tenant's transaction themselves and
//! are idempotent (a scan already ended, an asset gone or rescheduled is left alone).

use crate::model::{AssetId, ScanId};
use crate::service::Surface;
use chrono::{DateTime, Utc};
use platform::jobs::{EnqueueOptions, Job, JobContext, JobRunnerBuilder, JobsError, enqueue};
use platform::{TenantId, TenantTx};
use serde::{Deserialize, Serialize};

/// Registers surface's jobs, with the service they need, on a job runner.
pub fn register_jobs(builder: JobRunnerBuilder, surface: &Surface) -> JobRunnerBuilder {
    builder
        .extension(surface.clone())
        .job::<RunScan>()
        .job::<ScheduledScan>()
        .job::<RecheckAuthorization>()
}

fn service(ctx: &JobContext) -> anyhow::Result<&Surface> {
    ctx.extension::<Surface>().ok_or_else(|| {
        anyhow::anyhow!("the job runner has no Surface (see surface::register_jobs)")
    })
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunScan {
    pub tenant_id: TenantId,
    pub scan_id: ScanId,
}

impl Job for RunScan {
    const NAME: &'static str = "surface.run_scan";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let surface = service(&ctx)?;
        match surface.run_scan(self.tenant_id, self.scan_id).await {
            Ok(()) => Ok(()),
            Err(error) if ctx.is_last_attempt() => {
                tracing::error!(error = format!("{error:#}"), "the scan failed for good");
                surface
                    .fail_scan(self.tenant_id, self.scan_id, "an internal error stopped the scan")
                    .await?;
                Ok(())
            }
            Err(error) => Err(error.into()),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ScheduledScan {
    pub tenant_id: TenantId,
    pub asset_id: AssetId,
}

impl Job for ScheduledScan {
    const NAME: &'static str = "surface.scheduled_scan";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        service(&ctx)?.scheduled_scan(self.tenant_id, self.asset_id).await?;
        Ok(())
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecheckAuthorization {
    pub tenant_id: TenantId,
    pub asset_id: AssetId,
}

impl Job for RecheckAuthorization {
    const NAME: &'static str = "surface.recheck_authorization";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        service(&ctx)?.recheck_authorization(self.tenant_id, self.asset_id).await?;
        Ok(())
    }
}

/// Queues the run of scan `scan` of `asset`, in the asset's serial queue.
pub(crate) async fn enqueue_scan(
    tx: &mut TenantTx,
    asset: AssetId,
    scan: ScanId,
) -> Result<(), JobsError> {
    let job = RunScan { tenant_id: tx.tenant(), scan_id: scan };
    let options = EnqueueOptions {
        queue: Some(format!("surface.scan:{asset}")),
        job_key: Some(format!("surface.scan:{scan}")),
        max_attempts: Some(3),
        ..EnqueueOptions::default()
    };
    enqueue(tx, &job, options).await.map(|_| ())
}

/// Queues (or moves) the asset's next scheduled scan to `at`.
pub(crate) async fn enqueue_schedule(
    tx: &mut TenantTx,
    asset: AssetId,
    at: DateTime<Utc>,
) -> Result<(), JobsError> {
    let job = ScheduledScan { tenant_id: tx.tenant(), asset_id: asset };
    let options = EnqueueOptions {
        job_key: Some(format!("surface.schedule:{asset}")),
        run_at: Some(at),
        max_attempts: Some(5),
        ..EnqueueOptions::default()
    };
    enqueue(tx, &job, options).await.map(|_| ())
}

/// Queues (or moves) the asset's next proof re-check to `at`.
pub(crate) async fn enqueue_recheck(
    tx: &mut TenantTx,
    asset: AssetId,
    at: DateTime<Utc>,
) -> Result<(), JobsError> {
    let job = RecheckAuthorization { tenant_id: tx.tenant(), asset_id: asset };
    let options = EnqueueOptions {
        job_key: Some(format!("surface.recheck:{asset}")),
        run_at: Some(at),
        max_attempts: Some(5),
        ..EnqueueOptions::default()
    };
    enqueue(tx, &job, options).await.map(|_| ())
}
