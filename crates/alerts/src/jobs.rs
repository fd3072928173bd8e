//! The capability's background jobs: correlation of newly created alerts (one serial queue per
//! tenant, so that its correlation state has one writer), bulk jobs, and the SLA sweep (a
//! schedule every minute that queues one check per active tenant). Each is enqueued in the
//! transaction that causes it and is idempotent.

use crate::model::{AlertId, BulkJobId};
use crate::service::Alerts;
use platform::TenantId;
use platform::jobs::{EnqueueOptions, Job, JobContext, JobRunnerBuilder, JobsError, enqueue};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

/// Feeds newly created alerts to the tenant's correlation rules.
#[derive(Debug, Serialize, Deserialize)]
pub struct Correlate {
    pub tenant: TenantId,
    pub alerts: Vec<AlertId>,
}

impl Correlate {
    pub async fn enqueue(
        tx: &mut platform::TenantTx,
        alerts: Vec<AlertId>,
    ) -> Result<(), JobsError> {
        let tenant = tx.tenant();
        let job = Correlate { tenant, alerts };
        let options = EnqueueOptions::in_queue(format!("alerts.correlate:{tenant}"));
        enqueue(tx, &job, options).await.map(|_| ())
    }
}

impl Job for Correlate {
    const NAME: &'static str = "alerts.correlate";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let alerts = service(&ctx)?;
        alerts.correlate(self.tenant, &self.alerts).await?;
        Ok(())
    }
}

/// Works through a bulk job.
#[derive(Debug, Serialize, Deserialize)]
pub struct RunBulkJob {
    pub tenant: TenantId,
    pub job: BulkJobId,
}

impl RunBulkJob {
    pub async fn enqueue(tx: &mut platform::TenantTx, job: BulkJobId) -> Result<(), JobsError> {
        let payload = RunBulkJob { tenant: tx.tenant(), job };
        let options = EnqueueOptions {
            job_key: Some(format!("alerts.bulk_job:{job}")),
            max_attempts: Some(5),
            ..EnqueueOptions::default()
        };
        enqueue(tx, &payload, options).await.map(|_| ())
    }
}

impl Job for RunBulkJob {
    const NAME: &'static str = "alerts.bulk_job";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let alerts = service(&ctx)?;
        match alerts.run_bulk_job(self.tenant, self.job).await {
            Ok(()) => Ok(()),
            Err(error) => {
                if ctx.is_last_attempt() {
                    alerts.fail_bulk_job(self.tenant, self.job, &error.to_string()).await?;
                }
                Err(error.into())
            }
        }
    }
}

/// Every minute: queues one SLA check per active tenant.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SlaSweep {}

impl Job for SlaSweep {
    const NAME: &'static str = "alerts.sla_sweep";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let alerts = service(&ctx)?;
        let mut conn = ctx.db().pool().acquire().await?;
        for tenant in alerts.active_tenants().await? {
            queue_check(&mut conn, tenant).await?;
        }
        Ok(())
    }
}

async fn queue_check(conn: &mut PgConnection, tenant: TenantId) -> Result<(), JobsError> {
    let options = EnqueueOptions {
        job_key: Some(format!("alerts.sla_check:{tenant}")),
        max_attempts: Some(3),
        ..EnqueueOptions::default()
    };
    enqueue(conn, &SlaCheck { tenant }, options).await.map(|_| ())
}

/// Marks and announces one tenant's missed SLA targets.
#[derive(Debug, Serialize, Deserialize)]
pub struct SlaCheck {
    pub tenant: TenantId,
}

impl Job for SlaCheck {
    const NAME: &'static str = "alerts.sla_check";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        service(&ctx)?.check_sla(self.tenant).await?;
        Ok(())
    }
}

/// When the SLA sweep runs.
pub const SLA_SCHEDULE: &str = "* * * * *";

fn service(ctx: &JobContext) -> anyhow::Result<&Alerts> {
    ctx.extension::<Alerts>().ok_or_else(|| anyhow::anyhow!("the job runner has no alerts service"))
}

/// Registers the alerts jobs and the SLA schedule on `builder`.
pub fn register_jobs(builder: JobRunnerBuilder, alerts: &Alerts) -> JobRunnerBuilder {
    let builder = builder
        .extension(alerts.clone())
        .job::<Correlate>()
        .job::<RunBulkJob>()
        .job::<SlaSweep>()
        .job::<SlaCheck>();
    // The schedule is a constant the tests parse; an error here is a programming error.
    builder
        .cron("alerts.sla_sweep", SLA_SCHEDULE, &SlaSweep {})
        .unwrap_or_else(|error| panic!("the SLA schedule does not parse: {error}"))
}
