//! Background jobs on PostgreSQL, built on the `graphile_worker` library.
//!
//! * A job is a serde type implementing [`Job`]: a stable `NAME` and an async `run`.
//! * [`enqueue`] adds one inside the caller's transaction, so it commits or rolls back with the
//!   business write that caused it.
//! * A [`JobRunner`] (started by `palisade serve` and `palisade worker`) claims jobs with
//!   `FOR UPDATE SKIP LOCKED`, so any number of runners on one database share the work and never
//!   run one job twice at a time. It retries failures with exponential backoff, runs cron
//!   schedules, serializes the jobs of one named queue, drains gracefully, restarts itself after
//!   a database outage and, through heartbeats, recovers the jobs of a runner that died.
//! * [`failed_jobs`] lists the jobs that used up their attempts; [`retry_failed`] re-queues one.
//!
//! The queue lives in the `graphile_worker` schema; [`schema`] installs it during migrations.

mod context;
mod enqueue;
mod failed;
mod recovery;
mod runner;
pub mod schema;
mod supervise;

pub use context::{Job, JobContext};
pub use enqueue::{EnqueueOptions, JobId, enqueue, enqueue_named};
pub use failed::{FailedJob, delete_failed, failed_jobs, retry_failed};
pub use recovery::Recovery;
pub use runner::{JobRunner, JobRunnerBuilder, Stopping};

/// The PostgreSQL schema of the queue.
pub const SCHEMA: &str = "graphile_worker";

#[derive(Debug, thiserror::Error)]
pub enum JobsError {
    #[error("the job's payload cannot be serialized: {0}")]
    Payload(#[from] serde_json::Error),
    #[error("invalid cron schedule `{schedule}` for job {job}: {reason}")]
    Cron { job: &'static str, schedule: String, reason: String },
    #[error("starting the job runner: {0}")]
    Start(#[source] graphile_worker::WorkerBuildError),
    #[error("the job runner failed: {0}")]
    Run(#[source] graphile_worker::runner::WorkerRuntimeError),
    #[error("the job runner's task ended abnormally: {0}")]
    Join(#[source] tokio::task::JoinError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}
