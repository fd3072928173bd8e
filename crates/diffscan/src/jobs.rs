//! Diffscan's jobs. Each is enqueued in the transaction of the write that needs it and carries
//! ids only (with its tenant); each can run more than once and is idempotent:
//!
//! * `diffscan.run_scan`: fetches a pull request's diff when the scan has none yet, runs the
//!   engine, stores findings and the signed result, emits `diffscan.completed`;
//! * `diffscan.github_delivery`: turns a verified `pull_request` delivery into a scan;
//! * `diffscan.github_report`: completes the scan's check run (annotations in batches of 50);
//! * `diffscan.purge` (hourly): retention of raw diffs, webhook bodies and idempotency keys.

use crate::model::{ScanId, WebhookDeliveryId};
use crate::service::Diffscan;
use platform::TenantId;
use platform::jobs::{EnqueueOptions, Job, JobContext, JobRunnerBuilder, JobsError, enqueue};
use serde::{Deserialize, Serialize};

pub const RUN_SCAN: &str = "diffscan.run_scan";
pub const GITHUB_DELIVERY: &str = "diffscan.github_delivery";
pub const GITHUB_REPORT: &str = "diffscan.github_report";
pub const PURGE: &str = "diffscan.purge";
/// Minute 17 of every hour.
pub const PURGE_SCHEDULE: &str = "17 * * * *";
/// Attempts of a scan before it is failed for good (and decided by `on_error`).
pub const SCAN_ATTEMPTS: i16 = 5;

fn service(ctx: &JobContext) -> anyhow::Result<&Diffscan> {
    ctx.extension::<Diffscan>().ok_or_else(|| {
        anyhow::anyhow!("the job runner has no Diffscan (see diffscan::register_jobs)")
    })
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunScan {
    pub tenant_id: TenantId,
    pub scan_id: ScanId,
}

impl Job for RunScan {
    const NAME: &'static str = RUN_SCAN;

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let last = ctx.is_last_attempt();
        service(&ctx)?.run_scan(self.tenant_id, self.scan_id, last).await?;
        Ok(())
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GithubDelivery {
    pub tenant_id: TenantId,
    pub delivery_id: WebhookDeliveryId,
}

impl Job for GithubDelivery {
    const NAME: &'static str = GITHUB_DELIVERY;

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        service(&ctx)?.process_delivery(self.tenant_id, self.delivery_id).await?;
        Ok(())
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GithubReport {
    pub tenant_id: TenantId,
    pub scan_id: ScanId,
}

impl Job for GithubReport {
    const NAME: &'static str = GITHUB_REPORT;

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let last = ctx.is_last_attempt();
        service(&ctx)?.report_check_run(self.tenant_id, self.scan_id, last).await?;
        Ok(())
    }
}

/// The hourly retention run (no payload).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Purge {}

impl Job for Purge {
    const NAME: &'static str = PURGE;

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let purged = service(&ctx)?.purge_expired().await?;
        tracing::info!(?purged, "diffscan retention ran");
        Ok(())
    }
}

/// Registers diffscan's jobs and the hourly purge, with the service they need.
pub fn register_jobs(builder: JobRunnerBuilder, diffscan: &Diffscan) -> JobRunnerBuilder {
    builder
        .extension(diffscan.clone())
        .job::<RunScan>()
        .job::<GithubDelivery>()
        .job::<GithubReport>()
        .job::<Purge>()
        .cron_or_log(PURGE, PURGE_SCHEDULE, &Purge {})
}

/// Queues the scan job of `scan` in the caller's transaction.
pub(crate) async fn enqueue_scan(
    tx: &mut platform::TenantTx,
    scan: ScanId,
) -> Result<(), JobsError> {
    let job = RunScan { tenant_id: tx.tenant(), scan_id: scan };
    let options = EnqueueOptions {
        job_key: Some(format!("diffscan.scan:{scan}")),
        max_attempts: Some(SCAN_ATTEMPTS),
        ..EnqueueOptions::default()
    };
    enqueue(tx, &job, options).await.map(|_| ())
}

pub(crate) async fn enqueue_delivery(
    tx: &mut platform::TenantTx,
    delivery: WebhookDeliveryId,
) -> Result<(), JobsError> {
    let job = GithubDelivery { tenant_id: tx.tenant(), delivery_id: delivery };
    let options = EnqueueOptions {
        job_key: Some(format!("diffscan.delivery:{delivery}")),
        max_attempts: Some(SCAN_ATTEMPTS),
        ..EnqueueOptions::default()
    };
    enqueue(tx, &job, options).await.map(|_| ())
}

pub(crate) async fn enqueue_report(
    tx: &mut platform::TenantTx,
    scan: ScanId,
) -> Result<(), JobsError> {
    let job = GithubReport { tenant_id: tx.tenant(), scan_id: scan };
    let options = EnqueueOptions {
        job_key: Some(format!("diffscan.report:{scan}")),
        max_attempts: Some(8),
        ..EnqueueOptions::default()
    };
    enqueue(tx, &job, options).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_purge_schedule_parses() {
        let db = platform::Db::new(
            sqlx::postgres::PgPoolOptions::new().connect_lazy("postgres://localhost/x").unwrap(),
        );
        assert!(
            platform::jobs::JobRunner::builder(&db).cron(PURGE, PURGE_SCHEDULE, &Purge {}).is_ok()
        );
    }
}
