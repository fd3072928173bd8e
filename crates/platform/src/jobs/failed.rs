//! Permanently failed jobs: those that used every attempt. The queue keeps them (completed jobs
//! are deleted) until an operator retries or removes them.
//!
//! Jobs the queue retired on its own (replaced through their `job_key` while running, or removed
//! while running) also end with no attempts left; they are not failures and are not listed.

use super::JobId;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// One permanently failed job.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct FailedJob {
    pub id: JobId,
    /// The job's `Job::NAME`.
    pub task: String,
    pub queue: Option<String>,
    pub job_key: Option<String>,
    pub attempts: i16,
    pub max_attempts: i16,
    /// The error of the last attempt.
    pub last_error: Option<String>,
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// Up to `limit` permanently failed jobs, the most recently enqueued first. (Read from the
/// library's tables: its `jobs` view has no payload.)
#[tracing::instrument(skip(pool), err)]
pub async fn failed_jobs(pool: &PgPool, limit: i64) -> Result<Vec<FailedJob>, sqlx::Error> {
    sqlx::query_as(
        "select jobs.id, tasks.identifier as task, queues.queue_name as queue,
                jobs.key as job_key, jobs.attempts, jobs.max_attempts, jobs.last_error,
                jobs.payload::jsonb as payload, jobs.created_at
           from graphile_worker._private_jobs jobs
           join graphile_worker._private_tasks tasks on tasks.id = jobs.task_id
           left join graphile_worker._private_job_queues queues on queues.id = jobs.job_queue_id
          where jobs.attempts >= jobs.max_attempts
            and jobs.locked_at is null
            and not exists (select 1 from graphile_worker._private_job_retirements retired
                             where retired.id = jobs.id)
          order by jobs.id desc
          limit $1",
    )
    .bind(limit.clamp(0, 10_000))
    .fetch_all(pool)
    .await
    .map(|jobs: Vec<FailedJob>| {
        jobs.into_iter()
            .map(|job| FailedJob { last_error: job.last_error.map(|e| error_message(&e)), ..job })
            .collect()
    })
}

/// The library stores a handler's error as `TaskError("<message, Debug-escaped>")`; this gives
/// the message back. Anything else (a panic, an interruption) is returned as stored.
fn error_message(stored: &str) -> String {
    let Some(escaped) = stored.strip_prefix("TaskError(\"").and_then(|s| s.strip_suffix("\")"))
    else {
        return stored.to_string();
    };
    let mut message = String::with_capacity(escaped.len());
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            message.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => message.push('\n'),
            Some('r') => message.push('\r'),
            Some('t') => message.push('\t'),
            Some('0') => message.push('\0'),
            Some('u') => {
                let code: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                let decoded = u32::from_str_radix(&code, 16).ok().and_then(char::from_u32);
                message.push(decoded.unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            Some(other) => message.push(other),
            None => message.push('\\'),
        }
    }
    message
}

/// Gives a permanently failed job a fresh set of attempts, to run now. Returns false when `id`
/// is not a permanently failed job (unknown, completed, still retrying or running).
#[tracing::instrument(skip(pool), err)]
pub async fn retry_failed(pool: &PgPool, id: JobId) -> Result<bool, sqlx::Error> {
    let retried: i64 = sqlx::query_scalar(
        "select count(*) from graphile_worker.reschedule_jobs(
             array(select jobs.id from graphile_worker._private_jobs jobs
                    where jobs.id = $1 and jobs.attempts >= jobs.max_attempts
                      and jobs.locked_at is null
                      and not exists (select 1 from graphile_worker._private_job_retirements r
                                       where r.id = jobs.id)),
             run_at => now(), attempts => 0)",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    Ok(retried > 0)
}

/// Removes a permanently failed job for good. Returns false when `id` is not one.
#[tracing::instrument(skip(pool), err)]
pub async fn delete_failed(pool: &PgPool, id: JobId) -> Result<bool, sqlx::Error> {
    let deleted: i64 = sqlx::query_scalar(
        "select count(*) from graphile_worker.complete_jobs(
             array(select jobs.id from graphile_worker._private_jobs jobs
                    where jobs.id = $1 and jobs.attempts >= jobs.max_attempts
                      and jobs.locked_at is null
                      and not exists (select 1 from graphile_worker._private_job_retirements r
                                       where r.id = jobs.id)))",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    Ok(deleted > 0)
}

#[cfg(test)]
mod tests {
    use super::error_message;

    #[test]
    fn the_stored_form_of_a_handler_error_decodes_to_its_message() {
        for message in ["boom", "say \"hi\"\nthen\tgo \\ back", "zero\0 bell\u{7} é ✓"] {
            // What the library stores: the derived `Debug` of its `TaskError(String)`.
            let stored = format!("TaskError({message:?})");
            assert_eq!(error_message(&stored), message, "{stored}");
        }
        assert_eq!(error_message("TaskPanic(\"oops\")"), "TaskPanic(\"oops\")");
    }
}
