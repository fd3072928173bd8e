//! `Diffscan`: the handle through which the API requests and reads scans and manages what they
//! run with, through which the webhook ingress records GitHub deliveries, and through which the
//! jobs scan, report and purge. Cheap to clone; one per process.
//!
//! Each mutation runs in one `tenant_tx` with exactly one audit row; its jobs and events are
//! written in the same transaction. The keyring (shared) and the signing key are loaded on first
//! use (so the service can be built before the database is reachable).

pub mod baselines;
mod engines;
pub mod github;
pub mod input;
mod keys;
pub mod policies;
mod report;
pub mod results;
mod retention;
pub mod rule_packs;
mod run;
pub mod scans;
mod webhook;

pub use results::{Envelope, SigningKeyInfo};
pub use retention::Purged;
pub use scans::{CreatedScan, ScanRequest};
pub use webhook::{WebhookHeaders, WebhookOutcome};

use crate::error::DiffscanError;
use crate::github::GithubClient;
use crate::metrics::DiffscanMetrics;
use crate::objects::ObjectStore;
use crate::settings::DiffscanSettings;
use diffscan_engine::Signer;
use engines::EngineCache;
use platform::Db;
use platform::config::Mode;
use platform::outbound::OutboundPolicy;
use platform::sealing::{Keyring, SharedKeyring};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// What the service is built from besides its own settings.
#[derive(Clone, Debug)]
pub struct Environment {
    pub db: Db,
    /// The keys secrets at rest (GitHub tokens, webhook secrets, the generated signing seed) are
    /// sealed with, shared with the other capabilities.
    pub keyring: SharedKeyring,
    /// Where GitHub calls may go (the SSRF guard's policy).
    pub outbound: OutboundPolicy,
    /// Under which the filesystem object store lives by default.
    pub data_dir: PathBuf,
    pub mode: Mode,
    /// The console's address, for links in check runs and events.
    pub public_url: String,
}

struct Inner {
    env: Environment,
    settings: DiffscanSettings,
    objects: Arc<dyn ObjectStore>,
    github: GithubClient,
    signer: OnceCell<Signer>,
    engines: EngineCache,
    metrics: Arc<DiffscanMetrics>,
}

#[derive(Clone)]
pub struct Diffscan {
    inner: Arc<Inner>,
}

impl fmt::Debug for Diffscan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Diffscan").field("objects", &self.inner.objects.backend()).finish()
    }
}

impl Diffscan {
    /// The service. Refuses a signing setup the mode does not allow (the development key in
    /// production) and an object store it cannot set up.
    pub fn new(env: Environment, settings: DiffscanSettings) -> anyhow::Result<Diffscan> {
        crate::signing::check_mode(&settings.signing, env.mode)?;
        let objects = crate::objects::from_settings(
            &settings.objects,
            &env.data_dir,
            settings.github_timeout,
        )?;
        Ok(Self::with_objects(env, settings, objects))
    }

    /// The service on a given object store (tests, tools).
    pub fn with_objects(
        env: Environment,
        settings: DiffscanSettings,
        objects: Arc<dyn ObjectStore>,
    ) -> Diffscan {
        let github = GithubClient::new(env.outbound.clone(), settings.github_timeout);
        Diffscan {
            inner: Arc::new(Inner {
                env,
                settings,
                objects,
                github,
                signer: OnceCell::new(),
                engines: EngineCache::default(),
                metrics: Arc::new(DiffscanMetrics::default()),
            }),
        }
    }

    pub fn db(&self) -> &Db {
        &self.inner.env.db
    }

    pub fn settings(&self) -> &DiffscanSettings {
        &self.inner.settings
    }

    pub fn objects(&self) -> &dyn ObjectStore {
        self.inner.objects.as_ref()
    }

    pub fn metrics(&self) -> &Arc<DiffscanMetrics> {
        &self.inner.metrics
    }

    pub(crate) fn github(&self) -> &GithubClient {
        &self.inner.github
    }

    pub(crate) fn public_url(&self) -> &str {
        self.inner.env.public_url.trim_end_matches('/')
    }

    pub(crate) fn engines(&self) -> &EngineCache {
        &self.inner.engines
    }

    /// The keys secrets (GitHub tokens, webhook secrets, the generated signing seed) are sealed
    /// and opened with, loaded once.
    pub(crate) async fn keyring(&self) -> Result<&Keyring, DiffscanError> {
        self.inner.env.keyring.get().await.map_err(DiffscanError::Unexpected)
    }

    /// The key results are signed with, loaded (or generated) once.
    pub async fn signer(&self) -> Result<&Signer, DiffscanError> {
        let keyring = self.keyring().await?;
        self.inner
            .signer
            .get_or_try_init(|| async {
                crate::signing::load(
                    &self.inner.settings.signing,
                    self.inner.env.mode,
                    self.inner.env.db.pool(),
                    keyring,
                )
                .await
            })
            .await
            .map_err(|e| DiffscanError::Unexpected(e.context("loading the diffscan signing key")))
    }

    /// Samples the queue-depth gauge until the process ends (serving processes).
    pub fn spawn_metrics_sampler(&self) {
        let metrics = self.inner.metrics.clone();
        let pool = self.db().pool().clone();
        tokio::spawn(metrics.sample_forever(pool, std::time::Duration::from_secs(15)));
    }
}
