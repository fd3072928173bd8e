//! Enqueueing inside the caller's transaction.
//!
//! `enqueue` calls the queue's own SQL function `graphile_worker.add_job` on the caller's
//! connection: the job exists exactly when the transaction that wrote the business rows commits,
//! and a rollback leaves no job behind. The function also wakes idle runners (NOTIFY, delivered
//! at commit).

use super::JobsError;
use super::context::Job;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// The id of a job row; jobs are deleted when they complete.
pub type JobId = i64;

/// How to enqueue; `Default` is: no queue, no key, now, 25 attempts, priority 0.
#[derive(Clone, Debug, Default)]
pub struct EnqueueOptions {
    /// A named serial queue (at most 128 characters): jobs of one queue run one at a time, in
    /// order, across every runner; for example `surface.scan:<asset id>` for one scan per asset.
    pub queue: Option<String>,
    /// A de-duplication key (at most 512 characters). Enqueuing again with a key that is still
    /// waiting replaces that job (payload, run time, attempts reset) instead of adding a second
    /// one; if the existing job is already running, a new job is added (the running one
    /// finishes but is not retried).
    pub job_key: Option<String>,
    /// Do not run before this time.
    pub run_at: Option<DateTime<Utc>>,
    /// Attempts before the job is failed for good (at least 1; default 25).
    pub max_attempts: Option<i16>,
    /// Lower runs first (default 0).
    pub priority: Option<i16>,
}

impl EnqueueOptions {
    /// Jobs sharing `queue` run strictly one after another.
    pub fn in_queue(queue: impl Into<String>) -> Self {
        Self { queue: Some(queue.into()), ..Self::default() }
    }
}

/// Adds `job` to the queue as part of the caller's open transaction (a `TenantTx` or any
/// `PgConnection`): commit runs it, rollback discards it.
pub async fn enqueue<J: Job>(
    conn: &mut PgConnection,
    job: &J,
    options: EnqueueOptions,
) -> Result<JobId, JobsError> {
    enqueue_named(conn, J::NAME, &serde_json::to_value(job)?, options).await
}

/// `enqueue` by task name and JSON payload: for code that queues a job whose type it cannot see
/// (platform code queuing a job a domain crate handles). The payload must deserialize into the
/// handler's `Job` type, or every attempt fails.
#[tracing::instrument(skip(conn, payload, options), err)]
pub async fn enqueue_named(
    conn: &mut PgConnection,
    name: &str,
    payload: &serde_json::Value,
    options: EnqueueOptions,
) -> Result<JobId, JobsError> {
    let id: JobId = sqlx::query_scalar(
        "select id from graphile_worker.add_job(
             identifier => $1, payload => $2::jsonb::json, queue_name => $3, run_at => $4,
             max_attempts => $5, job_key => $6, priority => $7)",
    )
    .bind(name)
    .bind(payload)
    .bind(options.queue)
    .bind(options.run_at)
    .bind(options.max_attempts.map(i32::from))
    .bind(options.job_key)
    .bind(options.priority.map(i32::from))
    .fetch_one(conn)
    .await?;
    Ok(id)
}
