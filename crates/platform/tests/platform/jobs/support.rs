//! Test jobs and the probe they report to (registered as a runner extension, so every test has
//! its own even though tests run in parallel).

use platform::Db;
use platform::jobs::{Job, JobContext, JobId, JobRunner, JobRunnerBuilder};
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgPoolOptions;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug, Default)]
pub struct Probe(Arc<ProbeState>);

#[derive(Debug, Default)]
struct ProbeState {
    /// One entry per run (what each job records; see the jobs).
    records: Mutex<Vec<u32>>,
    attempts: Mutex<Vec<i16>>,
    workers: Mutex<HashSet<String>>,
    running: AtomicUsize,
    max_running: AtomicUsize,
}

impl Probe {
    pub fn records(&self) -> Vec<u32> {
        self.0.records.lock().unwrap().clone()
    }

    pub fn attempts(&self) -> Vec<i16> {
        self.0.attempts.lock().unwrap().clone()
    }

    pub fn workers(&self) -> HashSet<String> {
        self.0.workers.lock().unwrap().clone()
    }

    pub fn running(&self) -> usize {
        self.0.running.load(Ordering::SeqCst)
    }

    pub fn max_running(&self) -> usize {
        self.0.max_running.load(Ordering::SeqCst)
    }

    fn record(&self, value: u32) {
        self.0.records.lock().unwrap().push(value);
    }
}

fn probe(ctx: &JobContext) -> anyhow::Result<Probe> {
    ctx.extension::<Probe>().cloned().ok_or_else(|| anyhow::anyhow!("no probe"))
}

/// Records `n`, its attempt and its runner.
#[derive(Serialize, Deserialize)]
pub struct Record {
    pub n: u32,
    pub sleep_ms: u64,
}

impl Job for Record {
    const NAME: &'static str = "test.record";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let probe = probe(&ctx)?;
        tokio::time::sleep(Duration::from_millis(self.sleep_ms)).await;
        probe.0.attempts.lock().unwrap().push(ctx.attempt());
        probe.0.workers.lock().unwrap().insert(ctx.worker_id().to_string());
        probe.record(self.n);
        Ok(())
    }
}

/// Records its attempt number and fails the first `failures` attempts.
#[derive(Serialize, Deserialize)]
pub struct Flaky {
    pub failures: i16,
}

impl Job for Flaky {
    const NAME: &'static str = "test.flaky";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let attempt = ctx.attempt();
        probe(&ctx)?.record(attempt as u32);
        if attempt <= self.failures {
            anyhow::bail!("flaky failure on attempt {attempt}");
        }
        Ok(())
    }
}

/// Sleeps while counted as running; records 0 when done.
#[derive(Serialize, Deserialize)]
pub struct Sleepy {
    pub ms: u64,
}

impl Job for Sleepy {
    const NAME: &'static str = "test.sleepy";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let probe = probe(&ctx)?;
        let now = probe.0.running.fetch_add(1, Ordering::SeqCst) + 1;
        probe.0.max_running.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(self.ms)).await;
        probe.0.running.fetch_sub(1, Ordering::SeqCst);
        probe.record(0);
        Ok(())
    }
}

/// Records its attempt number and always fails, with a cause chain.
#[derive(Serialize, Deserialize)]
pub struct Broken {
    pub reason: String,
}

impl Job for Broken {
    const NAME: &'static str = "test.broken";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        probe(&ctx)?.record(ctx.attempt() as u32);
        Err(anyhow::anyhow!("it always fails").context(self.reason))
    }
}

/// A runner with every test job registered, reporting to `probe`, polling fast.
pub fn runner(db: &Db, probe: &Probe) -> JobRunnerBuilder {
    JobRunner::builder(db)
        .job::<Record>()
        .job::<Flaky>()
        .job::<Sleepy>()
        .job::<Broken>()
        .extension(probe.clone())
        .concurrency(4)
        .poll_interval(Duration::from_millis(100))
        .shutdown_grace(Duration::from_secs(5))
}

/// A separate application-role pool on the test's database, as another process would have.
pub async fn app_pool(db: &testkit::TestDb) -> Db {
    let options = db.options(platform::pg::APP_ROLE).await;
    Db::new(PgPoolOptions::new().max_connections(6).connect_with(options).await.unwrap())
}

/// Waits (up to 10 s) until `done` holds.
pub async fn eventually(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// After attempt `attempts` of job `id` failed: seconds until its next run, and its error.
pub async fn failed_attempt(db: &Db, id: JobId, attempts: i16) -> Option<(f64, String)> {
    sqlx::query_as(
        "select extract(epoch from run_at - now())::float8, last_error
           from graphile_worker._private_jobs
          where id = $1 and attempts = $2 and locked_at is null and last_error is not null",
    )
    .bind(id)
    .bind(attempts)
    .fetch_optional(db.pool())
    .await
    .unwrap()
}

/// Leaves job `id` (and its queue) as a runner killed while running it would: claimed and
/// locked by that runner, whose last heartbeat was an hour ago.
pub async fn die_holding(db: &Db, id: JobId) {
    let dead = "graphile_worker_dead0000000000";
    let mut tx = db.pool().begin().await.unwrap();
    sqlx::query(
        "insert into graphile_worker._private_workers (id, last_heartbeat_at, started_at)
         values ($1, now() - interval '1 hour', now() - interval '2 hours')",
    )
    .bind(dead)
    .execute(&mut *tx)
    .await
    .unwrap();
    for sql in [
        "update graphile_worker._private_jobs
            set locked_by = $1, locked_at = now() - interval '1 hour', attempts = attempts + 1
          where id = $2",
        "update graphile_worker._private_job_queues q set locked_by = $1,
                locked_at = now() - interval '1 hour'
           from graphile_worker._private_jobs j where j.id = $2 and q.id = j.job_queue_id",
    ] {
        sqlx::query(sql).bind(dead).bind(id).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
}
