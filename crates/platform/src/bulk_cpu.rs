//! Threads for bulk CPU work (reading and normalizing an ingested batch of a thousand alerts,
//! running the detection rules over it), at a lower scheduling priority than the rest of the
//! process. On a machine whose cores are busy, the kernel then runs an analyst's page, a login
//! or a live-feed write before the next slice of a batch: bulk work waits a little longer, the
//! interactive request does not wait behind it.
//!
//! The pool owns its threads only: what a job does, and what it may touch, is the caller's. It
//! must not run work that holds a lock or a database connection others wait for, since lowering
//! the priority of such work would delay them too (priority inversion).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, mpsc};

/// How much lower than the rest of the process the pool's threads run (a nice value; 19 is
/// the lowest priority). At 10 a busy request thread gets about ten times the CPU of a bulk
/// thread when both want it, and bulk work still progresses when the machine is loaded.
pub const BULK_NICENESS: i32 = 10;

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of threads taking jobs in order. Cheap to share; the threads end when the last
/// handle is dropped.
#[derive(Clone)]
pub struct BulkCpu {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for BulkCpu {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BulkCpu")
    }
}

impl BulkCpu {
    /// Starts `threads` threads (at least one) named `{name}-{n}`.
    pub fn start(name: &str, threads: usize) -> std::io::Result<BulkCpu> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new().name(format!("{name}-{n}")).spawn(move || {
                lower_priority();
                while let Some(job) = next(&queue) {
                    job();
                }
            })?;
        }
        Ok(BulkCpu { jobs })
    }

    /// Runs `work` on one of the pool's threads and waits for its result without blocking the
    /// runtime. A panic in `work` is an error here; the thread goes on with the next job.
    pub async fn run<T, F>(&self, work: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            if let Ok(value) = catch_unwind(AssertUnwindSafe(work)) {
                // The caller may have gone (its request was cancelled): nothing to tell.
                let _ = done.send(value);
            }
        });
        self.jobs.send(job).map_err(|_| anyhow::anyhow!("the bulk CPU threads have stopped"))?;
        result.await.map_err(|_| anyhow::anyhow!("a bulk CPU job panicked"))
    }
}

/// The next job, or none once every handle is dropped. The lock is held while waiting, so the
/// idle threads queue on the lock and the channel hands each job to exactly one of them.
fn next(queue: &Mutex<mpsc::Receiver<Job>>) -> Option<Job> {
    let queue = queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    queue.recv().ok()
}

/// Lowers the calling thread's priority (on Linux, `setpriority` with no id applies to the
/// calling thread alone). Raising one's own nice value needs no privilege; if the system still
/// refuses, the thread runs at the normal priority and the work is the same.
fn lower_priority() {
    let current = rustix::process::getpriority_process(None).unwrap_or(0);
    if let Err(error) = rustix::process::setpriority_process(None, current + BULK_NICENESS) {
        tracing::debug!(%error, "bulk CPU thread keeps the normal priority");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_job_runs_on_a_bulk_thread_and_its_result_comes_back() {
        let pool = BulkCpu::start("test-bulk", 2).unwrap();
        let name = pool.run(|| std::thread::current().name().map(str::to_owned)).await.unwrap();
        assert!(name.is_some_and(|n| n.starts_with("test-bulk-")));
        assert_eq!(pool.run(|| 6 * 7).await.unwrap(), 42);
    }

    #[tokio::test]
    async fn bulk_threads_run_below_the_priority_of_the_process() {
        let pool = BulkCpu::start("test-bulk", 1).unwrap();
        let ours = rustix::process::getpriority_process(None).unwrap();
        let theirs =
            pool.run(|| rustix::process::getpriority_process(None).unwrap()).await.unwrap();
        assert_eq!(theirs, (ours + BULK_NICENESS).min(19));
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_thread_takes_the_next_one() {
        let pool = BulkCpu::start("test-bulk", 1).unwrap();
        let failed = pool.run(|| -> u8 { panic!("a bad batch") }).await;
        assert!(failed.is_err());
        assert_eq!(pool.run(|| "still here").await.unwrap(), "still here");
    }

    #[tokio::test]
    async fn jobs_beyond_the_threads_wait_their_turn_and_all_finish() {
        let pool = BulkCpu::start("test-bulk", 2).unwrap();
        let jobs: Vec<_> = (0..16u64)
            .map(|n| {
                let pool = pool.clone();
                tokio::spawn(async move { pool.run(move || n * n).await.unwrap() })
            })
            .collect();
        let mut squares = Vec::new();
        for job in jobs {
            squares.push(job.await.unwrap());
        }
        assert_eq!(squares, (0..16u64).map(|n| n * n).collect::<Vec<_>>());
    }
}
