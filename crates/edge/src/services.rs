//! `Services`: every capability's service, built from the settings in one place, so that
//! `palisade serve`, `palisade worker`, `palisade admin` and the tests run exactly the same
//! wiring. A capability that lands adds its service here, its jobs to `register_jobs` and its
//! listeners to `spawn_listeners`, and nowhere else.

use crate::settings::Settings;
use alerts::Alerts;
use diffscan::Diffscan;
use identity::Identity;
use notify::Notify;
use notify::feed::Hub;
use platform::Db;
use platform::audit::{AuditKey, CheckpointJob};
use platform::jobs::{JobRunner, JobRunnerBuilder};
use platform::keys::MasterKeys;
use platform::mail::Mailer;
use platform::sealing::SharedKeyring;
use platform::server_secrets::SecretStore;
use std::future::Future;
use std::sync::Arc;
use surface::Surface;

/// The server secret audit rows and checkpoints are keyed with.
pub const AUDIT_KEY: &str = "audit_chain_key";

#[derive(Clone)]
pub struct Services {
    /// The application pool, chaining audit rows with the installation's audit key.
    pub db: Db,
    /// The server secrets, wrapped by the master key.
    pub secrets: SecretStore,
    /// The keys secrets in tenant rows are sealed with (every capability's).
    pub keyring: SharedKeyring,
    pub identity: Identity,
    pub notify: Notify,
    pub diffscan: Diffscan,
    pub surface: Surface,
    /// The live feed's rooms (`/v1/ws`); its listener runs once `spawn_listeners` is called.
    pub feed: Hub,
    pub alerts: Alerts,
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Services").finish_non_exhaustive()
    }
}

impl Services {
    /// Builds every service on `db`. The master key is read (or, on first start, generated into
    /// its file) and the server secrets it wraps are loaded, so the database must be reachable;
    /// everything else connects lazily.
    pub async fn build(settings: &Settings, db: Db) -> anyhow::Result<Services> {
        let keys = MasterKeys::load(&settings.platform.encryption)?;
        let secrets = SecretStore::new(db.pool().clone(), keys);
        let audit_key = secrets.load_or_create(AUDIT_KEY).await?;
        let db = db.with_audit_key(AuditKey::new(audit_key.expose())?);
        let outbound = &settings.platform.outbound;
        let mailer = settings.mail.clone().map(|mail| {
            Arc::new(notify::mail::SmtpMailer::new(mail, outbound.clone())) as Arc<dyn Mailer>
        });
        let identity =
            Identity::start(db.clone(), settings.identity.clone(), mailer, &secrets).await?;
        let encryption = &settings.platform.encryption;
        let keyring = SharedKeyring::new(
            secrets.clone(),
            encryption.data_key.clone(),
            encryption.previous_data_key.clone(),
        );
        let notify = Notify::new(
            db.clone(),
            settings.platform.outbound.clone(),
            settings.notify.clone(),
            keyring.clone(),
        );
        let feed = Hub::new(db.clone(), settings.feed.clone());
        let alerts = Alerts::new(db.clone(), keyring.clone(), settings.alerts.clone())?;
        let diffscan = Diffscan::new(
            diffscan::service::Environment {
                db: db.clone(),
                keyring: keyring.clone(),
                outbound: outbound.clone(),
                data_dir: settings.platform.data_dir.clone(),
                mode: settings.platform.mode,
                public_url: settings.notify.public_url.clone(),
            },
            settings.diffscan.clone(),
        )?;
        let surface = Surface::new(db.clone(), outbound.clone(), settings.surface.clone());
        Ok(Services { db, secrets, keyring, identity, notify, surface, diffscan, alerts, feed })
    }

    /// The job runner of `serve` and `worker`, with every capability's jobs and schedules.
    pub fn job_runner(&self, settings: &Settings) -> JobRunnerBuilder {
        let jobs = &settings.platform.jobs;
        let builder = JobRunner::builder(&self.db)
            .concurrency(jobs.concurrency)
            .shutdown_grace(jobs.shutdown_grace);
        self.register_jobs(builder)
    }

    /// Registers every capability's job handlers on `builder`, and the platform's own: signed
    /// audit checkpoints every five minutes.
    #[expect(clippy::expect_used, reason = "a constant schedule; every job runner start proves it")]
    pub fn register_jobs(&self, builder: JobRunnerBuilder) -> JobRunnerBuilder {
        let builder = builder
            .job::<CheckpointJob>()
            .cron("audit-checkpoints", "*/5 * * * *", &CheckpointJob::default())
            .expect("a valid schedule");
        let builder = identity::register_jobs(builder, &self.identity);
        let builder = surface::register_jobs(builder, &self.surface);
        let builder = notify::register_jobs(builder, &self.notify);
        let builder = diffscan::register_jobs(builder, &self.diffscan);
        alerts::register_jobs(builder, &self.alerts)
    }

    /// Starts the listeners of a serving process: identity's cache invalidation, the live feed
    /// (which stops when `shutdown` completes) and diffscan's queue-depth sampler.
    pub fn spawn_listeners(&self, shutdown: impl Future<Output = ()> + Send + 'static) {
        tokio::spawn(self.identity.clone().listen_for_changes());
        tokio::spawn(self.feed.clone().run(shutdown));
        self.diffscan.spawn_metrics_sampler();
    }
}
