//! The typed job: what a domain crate implements, what its handler is given, and the adapter
//! that hands it to the library.

use crate::Db;
use graphile_worker::{IntoTaskHandlerResult, TaskHandler, WorkerContext};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::future::Future;

/// A kind of background work. The value itself is the payload (stored as JSON), so it should
/// carry ids rather than whole rows, and always the tenant it belongs to: job rows are not
/// tenant-scoped, the handler opens the tenant's `tenant_tx` itself.
///
/// ```ignore
/// #[derive(Serialize, Deserialize)]
/// struct DeliverEvent { tenant: TenantId, event: Uuid }
///
/// impl Job for DeliverEvent {
///     const NAME: &'static str = "notify.deliver_event";
///     async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
///         let mut tx = ctx.db().tenant_tx(self.tenant).await?;
///         // …
///         Ok(())
///     }
/// }
/// ```
///
/// A handler can run more than once for one job (a retry after an error, or after its runner
/// died mid-way), so it must be idempotent.
pub trait Job: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The task's identifier in the queue (at most 128 characters): stored with every job row,
    /// so it is never renamed once released. Convention: `<crate>.<verb_object>`.
    const NAME: &'static str;

    /// Does the work. An error fails this attempt; the job is retried with backoff until it has
    /// used its attempts, then it is listed by `failed_jobs`.
    fn run(self, ctx: JobContext) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// What a handler gets besides its payload.
pub struct JobContext {
    inner: WorkerContext,
    db: Db,
}

impl JobContext {
    /// The application-role pool of the runner.
    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn job_id(&self) -> i64 {
        *self.inner.job().id()
    }

    /// Which attempt this is, from 1.
    pub fn attempt(&self) -> i16 {
        *self.inner.job().attempts()
    }

    pub fn max_attempts(&self) -> i16 {
        *self.inner.job().max_attempts()
    }

    /// Whether a failure now would fail the job permanently.
    pub fn is_last_attempt(&self) -> bool {
        self.attempt() >= self.max_attempts()
    }

    /// The id of the runner executing this job (unique per runner instance).
    pub fn worker_id(&self) -> &str {
        self.inner.worker_id()
    }

    /// A value registered with `JobRunnerBuilder::extension`, by type.
    pub fn extension<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.inner.get_ext::<T>()
    }
}

impl fmt::Debug for JobContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobContext")
            .field("job_id", &self.job_id())
            .field("attempt", &self.attempt())
            .field("worker_id", &self.worker_id())
            .finish()
    }
}

/// The library's view of a `Job`: same payload, identifier `J::NAME`.
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub(super) struct Task<J>(pub(super) J);

impl<J: Job> TaskHandler for Task<J> {
    const IDENTIFIER: &'static str = J::NAME;

    async fn run(self, inner: WorkerContext) -> impl IntoTaskHandlerResult {
        let Some(db) = inner.get_ext::<Db>().cloned() else {
            return Err(Failure("the job runner has no database handle".into()));
        };
        let ctx = JobContext { inner, db };
        self.0.run(ctx).await.map_err(|e| Failure(format!("{e:#}")))
    }
}

/// A failed attempt's message. The library stores the `Debug` form as the job's `last_error`,
/// so `Debug` writes the plain message (no quotes, no escapes).
pub(super) struct Failure(String);

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
