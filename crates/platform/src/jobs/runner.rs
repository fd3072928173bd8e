//! The runner: registered handlers, cron schedules and a pool of job slots, running on a tokio
//! task until it is told to stop.
//!
//! Claiming is `FOR UPDATE SKIP LOCKED` in the library, so runners in one process or in many
//! share one database without running a job twice at a time. Heartbeat recovery is always on:
//! every runner writes a heartbeat row and sweeps for runners whose heartbeat went stale, whose
//! jobs go back to the queue (without using up an attempt). Because a runner without heartbeats
//! would look dead to the others, every runner of a database must be one of these.
//!
//! A runner survives database outages: see `supervise`.
//!
//! Besides jobs, a runner carries *background loops* (`background`): long-running work of a
//! capability that is not one job per item (the delivery relay's dispatcher). They start with the
//! runner, are told when it stops (`Stopping`), and `join` waits for them.

use super::JobsError;
use super::context::{Job, Task};
use super::recovery::Recovery;
use super::supervise::{WorkerId, set_worker_id, supervise};
use crate::Db;
use graphile_worker::{Crontab, Worker, WorkerOptions, WorkerRecoveryConfig, parse_crontab};
use sqlx::PgPool;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

type StopSignal = Pin<Box<dyn Future<Output = ()> + Send>>;
type BackgroundLoop = Box<dyn FnOnce(Stopping) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send>;

/// Tells a background loop that its runner is stopping.
#[derive(Clone, Debug)]
pub struct Stopping(watch::Receiver<bool>);

impl Stopping {
    /// Completes when the runner is asked to stop (or is gone).
    pub async fn wait(&mut self) {
        let _ = self.0.wait_for(|stop| *stop).await;
    }

    pub fn is_stopping(&self) -> bool {
        *self.0.borrow()
    }
}
/// One step of building the library's options (a handler or an extension), replayed for each
/// worker the supervisor starts.
type Configure = Arc<dyn Fn(WorkerOptions) -> WorkerOptions + Send + Sync>;

/// Everything needed to start a worker, again and again.
pub(super) struct Settings {
    pool: PgPool,
    configure: Vec<Configure>,
    jobs: Vec<&'static str>,
    crons: Vec<Crontab>,
    concurrency: usize,
    shutdown_grace: Duration,
    poll_interval: Duration,
    recovery: Recovery,
}

impl Settings {
    /// The library's options for one worker, which stops when `stop` turns true or closes.
    pub(super) fn options(&self, mut stop: watch::Receiver<bool>) -> WorkerOptions {
        let recovery = WorkerRecoveryConfig::default()
            .heartbeat_interval(self.recovery.heartbeat_interval)
            .sweep_interval(self.recovery.sweep_interval)
            .sweep_threshold(self.recovery.sweep_threshold)
            .recovery_delay(self.recovery.recovery_delay)
            .enabled(true);
        let options = WorkerOptions::default()
            .pg_pool(self.pool.clone())
            .schema(super::SCHEMA)
            .concurrency(self.concurrency)
            .poll_interval(self.poll_interval)
            .with_crons(self.crons.clone())
            .worker_recovery(recovery)
            .listen_os_shutdown_signals(false)
            .shutdown_grace_period(self.shutdown_grace)
            .shutdown_signal(async move {
                // An error means every `JobRunner` handle is gone: stop too.
                let _ = stop.wait_for(|stop| *stop).await;
            });
        self.configure.iter().fold(options, |options, step| step(options))
    }
}

/// Configures a `JobRunner`; see `JobRunner::builder`.
pub struct JobRunnerBuilder {
    settings: Settings,
    stop_when: Option<StopSignal>,
    background: Vec<(&'static str, BackgroundLoop)>,
}

impl fmt::Debug for JobRunnerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobRunnerBuilder")
            .field("jobs", &self.settings.jobs)
            .field("crons", &self.settings.crons.len())
            .field("concurrency", &self.settings.concurrency)
            .finish_non_exhaustive()
    }
}

impl JobRunnerBuilder {
    /// Registers the handler of `J`. A runner only claims jobs whose handler it has.
    pub fn job<J: Job>(mut self) -> Self {
        self.settings.configure.push(Arc::new(|options| options.define_job::<Task<J>>()));
        self.settings.jobs.push(J::NAME);
        self
    }

    /// Enqueues `job` on a cron `schedule` (five fields: minute hour day-of-month month
    /// day-of-week, in UTC), under a unique `id`. However many runners carry the same schedule,
    /// each time is enqueued once. `J` must also be registered with `job`. The payload gets a
    /// `_cron` field (the scheduled time), which serde ignores unless `J` denies unknown fields.
    pub fn cron<J: Job>(mut self, id: &str, schedule: &str, job: &J) -> Result<Self, JobsError> {
        self.settings.crons.push(crontab(id, schedule, job)?);
        Ok(self)
    }

    /// `cron` for a schedule written in the source, from code that must return the builder: a
    /// schedule that does not parse is logged as an error and left out (the caller's tests
    /// should call `cron` with it, to catch that before release).
    pub fn cron_or_log<J: Job>(mut self, id: &str, schedule: &str, job: &J) -> Self {
        match crontab(id, schedule, job) {
            Ok(crontab) => self.settings.crons.push(crontab),
            Err(error) => tracing::error!(%error, id, "a cron schedule was left out"),
        }
        self
    }

    /// Jobs run at once by this runner (at least 1; default 4).
    pub fn concurrency(mut self, slots: usize) -> Self {
        self.settings.concurrency = slots.max(1);
        self
    }

    /// How long running jobs may finish after a stop is requested (default 30 s). Jobs still
    /// running then are interrupted and re-queued, 30 s later, without using an attempt.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.settings.shutdown_grace = grace;
        self
    }

    /// How often an idle runner looks for due jobs besides being woken by NOTIFY (default 1 s;
    /// this also bounds how late a job with `run_at` starts).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.settings.poll_interval = interval;
        self
    }

    pub fn recovery(mut self, recovery: Recovery) -> Self {
        self.settings.recovery = recovery;
        self
    }

    /// A value handlers can read with `JobContext::extension` (one per type).
    pub fn extension<T: Clone + Send + Sync + fmt::Debug + 'static>(mut self, value: T) -> Self {
        self.settings.configure.push(Arc::new(move |options| options.add_extension(value.clone())));
        self
    }

    /// Runs `run` on its own task for as long as the runner runs; it must return soon after its
    /// `Stopping` completes (finishing what it has in hand).
    pub fn background<F>(
        mut self,
        name: &'static str,
        run: impl FnOnce(Stopping) -> F + Send + 'static,
    ) -> Self
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.background.push((name, Box::new(move |stopping| Box::pin(run(stopping)))));
        self
    }

    /// Stops the runner (gracefully) when `signal` completes, besides `JobRunner::shutdown`.
    pub fn stop_when(mut self, signal: impl Future<Output = ()> + Send + 'static) -> Self {
        self.stop_when = Some(Box::pin(signal));
        self
    }

    /// Checks the queue's schema (the application role cannot create it: run the migrations
    /// first), registers the handlers and starts the runner on a tokio task. Fails when the
    /// first worker cannot start; after that, the runner restarts its workers by itself.
    pub async fn start(self) -> Result<JobRunner, JobsError> {
        let settings = Arc::new(self.settings);
        let stop = Arc::new(watch::Sender::new(false));
        let worker = settings.options(stop.subscribe()).init().await.map_err(JobsError::Start)?;
        tracing::info!(
            worker_id = %worker.worker_id(),
            jobs = ?settings.jobs,
            concurrency = settings.concurrency,
            "job runner started"
        );
        Ok(JobRunner::launch(settings, Some(worker), stop, self.stop_when, self.background))
    }

    /// Like `start`, but returns at once and starts the first worker in the background, retrying
    /// (and logging why) until it can: for a server that must come up while its database is
    /// down or not migrated yet.
    pub fn spawn(self) -> JobRunner {
        let settings = Arc::new(self.settings);
        tracing::debug!(
            jobs = ?settings.jobs,
            concurrency = settings.concurrency,
            "starting the job runner in the background"
        );
        let stop = Arc::new(watch::Sender::new(false));
        JobRunner::launch(settings, None, stop, self.stop_when, self.background)
    }
}

/// A running job runner. Dropping it requests a graceful stop without waiting for it.
#[derive(Debug)]
pub struct JobRunner {
    worker_id: WorkerId,
    stop: Arc<watch::Sender<bool>>,
    task: JoinHandle<Result<(), JobsError>>,
    background: Vec<(&'static str, JoinHandle<()>)>,
}

impl JobRunner {
    /// A runner on `db` (the application role's pool), with nothing registered yet.
    pub fn builder(db: &Db) -> JobRunnerBuilder {
        let db_for_handlers = db.clone();
        JobRunnerBuilder {
            settings: Settings {
                pool: db.pool().clone(),
                configure: vec![Arc::new(move |options| {
                    options.add_extension(db_for_handlers.clone())
                })],
                jobs: Vec::new(),
                crons: Vec::new(),
                concurrency: 4,
                shutdown_grace: Duration::from_secs(30),
                poll_interval: Duration::from_secs(1),
                recovery: Recovery::default(),
            },
            stop_when: None,
            background: Vec::new(),
        }
    }

    fn launch(
        settings: Arc<Settings>,
        first: Option<Worker>,
        stop: Arc<watch::Sender<bool>>,
        stop_when: Option<StopSignal>,
        loops: Vec<(&'static str, BackgroundLoop)>,
    ) -> JobRunner {
        if let Some(signal) = stop_when {
            let stop = Arc::downgrade(&stop);
            tokio::spawn(async move {
                signal.await;
                if let Some(stop) = stop.upgrade() {
                    stop.send_replace(true);
                }
            });
        }
        let worker_id = Arc::new(Mutex::new(String::new()));
        if let Some(worker) = &first {
            set_worker_id(&worker_id, worker);
        }
        let task = tokio::spawn(supervise(settings, first, stop.subscribe(), worker_id.clone()));
        let background = loops
            .into_iter()
            .map(|(name, run)| (name, tokio::spawn(run(Stopping(stop.subscribe())))))
            .collect();
        JobRunner { worker_id, stop, task, background }
    }

    /// The id of the runner's current worker, as recorded in `locked_by` and the heartbeat
    /// table (a new one after each restart; empty until the first worker started).
    pub fn worker_id(&self) -> String {
        self.worker_id.lock().map(|id| id.clone()).unwrap_or_default()
    }

    /// Asks the runner to stop: it claims nothing more and lets running jobs finish (up to the
    /// shutdown grace). Returns at once; `join` waits.
    pub fn request_shutdown(&self) {
        self.stop.send_replace(true);
    }

    /// Requests a graceful stop and waits until the runner has stopped.
    pub async fn shutdown(self) -> Result<(), JobsError> {
        self.request_shutdown();
        self.join().await
    }

    /// Waits until the runner stops, after a stop was requested (by `request_shutdown` or the
    /// `stop_when` signal). Errors are the last worker's.
    pub async fn join(self) -> Result<(), JobsError> {
        let JobRunner { worker_id, stop, task, background } = self;
        let result = task.await;
        for (name, running) in background {
            if let Err(e) = running.await {
                tracing::error!(name, error = %e, "a background loop of the job runner failed");
            }
        }
        drop(stop);
        let worker_id = worker_id.lock().map(|id| id.clone()).unwrap_or_default();
        match result {
            Ok(Ok(())) => {
                tracing::info!(worker_id, "job runner stopped");
                Ok(())
            }
            Ok(Err(e)) => Err(e),
            Err(e) => Err(JobsError::Join(e)),
        }
    }
}

/// The library's crontab of `job` on `schedule` under `id` (see `JobRunnerBuilder::cron`).
fn crontab<J: Job>(id: &str, schedule: &str, job: &J) -> Result<Crontab, JobsError> {
    let invalid =
        |reason: String| JobsError::Cron { job: J::NAME, schedule: schedule.to_string(), reason };
    // The text form checks only the timer: the task identifier is set from `J` below.
    let mut parsed =
        parse_crontab(&format!("{} task", schedule.trim())).map_err(|e| invalid(e.to_string()))?;
    let mut crontab = match (parsed.pop(), parsed.is_empty()) {
        (Some(crontab), true) => crontab,
        _ => return Err(invalid("expected exactly one schedule of five fields".into())),
    };
    crontab.task_identifier = J::NAME.to_string();
    crontab.options.id = Some(id.to_string());
    crontab.payload = Some(serde_json::to_value(job)?);
    Ok(crontab)
}
