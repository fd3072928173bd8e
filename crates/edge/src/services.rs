//! `Services`: every capability's service, built from the settings in one place, so that
//! `palisade serve`, `palisade worker`, `palisade admin` and the tests run exactly the same
//! wiring. A capability that lands adds its service here, its jobs to `register_jobs` and its
//! listeners to `spawn_listeners`, and nowhere else.

use crate::settings::Settings;
use identity::Identity;
use notify::Notify;
use notify::feed::Hub;
use platform::Db;
use platform::jobs::{JobRunner, JobRunnerBuilder};
use platform::mail::Mailer;
use std::future::Future;
use std::sync::Arc;
use surface::Surface;

#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub identity: Identity,
    pub notify: Notify,
    pub surface: Surface,
    /// The live feed's rooms (`/v1/ws`); its listener runs once `spawn_listeners` is called.
    pub feed: Hub,
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Services").finish_non_exhaustive()
    }
}

impl Services {
    /// Builds every service on `db`. Identity loads (or, on first start, generates) its keys, so
    /// the database must be reachable; everything else connects lazily.
    pub async fn build(settings: &Settings, db: Db) -> anyhow::Result<Services> {
        let outbound = &settings.platform.outbound;
        let mailer = settings.mail.clone().map(|mail| {
            Arc::new(notify::mail::SmtpMailer::new(mail, outbound.clone())) as Arc<dyn Mailer>
        });
        let identity = Identity::start(db.clone(), settings.identity.clone(), mailer).await?;
        let notify =
            Notify::new(db.clone(), settings.platform.outbound.clone(), settings.notify.clone());
        let feed = Hub::new(db.clone(), settings.feed.clone());
        let surface = Surface::new(db.clone(), outbound.clone(), settings.surface.clone());
        Ok(Services { db, identity, notify, surface, feed })
    }

    /// The job runner of `serve` and `worker`, with every capability's jobs and schedules.
    pub fn job_runner(&self, settings: &Settings) -> JobRunnerBuilder {
        let jobs = &settings.platform.jobs;
        let builder = JobRunner::builder(&self.db)
            .concurrency(jobs.concurrency)
            .shutdown_grace(jobs.shutdown_grace);
        self.register_jobs(builder)
    }

    /// Registers every capability's job handlers on `builder`.
    pub fn register_jobs(&self, builder: JobRunnerBuilder) -> JobRunnerBuilder {
        let builder = identity::register_jobs(builder, &self.identity);
        let builder = surface::register_jobs(builder, &self.surface);
        notify::register_jobs(builder, &self.notify)
    }

    /// Starts the listeners of a serving process: identity's cache invalidation and the live
    /// feed, which stops when `shutdown` completes.
    pub fn spawn_listeners(&self, shutdown: impl Future<Output = ()> + Send + 'static) {
        tokio::spawn(self.identity.clone().listen_for_changes());
        tokio::spawn(self.feed.clone().run(shutdown));
    }
}
