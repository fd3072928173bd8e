//! `Alerts`: the handle through which the API ingests, triages and configures alerts, and
//! through which the jobs correlate, run bulk changes and check SLAs. Cheap to clone; one per
//! process. Every mutation runs in one `tenant_tx` with its audit row, events and jobs.

mod actor;
pub mod bulk;
pub mod correlation;
mod events;
pub mod ingest;
mod ingest_write;
mod keys;
pub mod queue;
pub mod rules;
pub mod settings;
pub mod sla;
pub mod sources;
pub mod triage;

pub use actor::Acting;

use crate::settings::AlertsSettings;
use platform::bulk_cpu::BulkCpu;
use platform::sealing::{Keyring, SharedKeyring};
use platform::{Db, TenantId};
use rules::CompiledRules;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

struct Inner {
    db: Db,
    keyring: SharedKeyring,
    settings: AlertsSettings,
    /// Each tenant's compiled detection rules, with the rule-set version they were built from.
    rules: Mutex<HashMap<TenantId, Arc<CompiledRules>>>,
    /// Turns for writing an ingested batch (`AlertsSettings::ingest_writers`).
    writers: tokio::sync::Semaphore,
    /// Where batches are read, normalized and run through the detection rules: below the
    /// request path's priority, one thread per core.
    prepare: BulkCpu,
}

#[derive(Clone)]
pub struct Alerts {
    inner: Arc<Inner>,
}

impl fmt::Debug for Alerts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Alerts")
    }
}

impl Alerts {
    /// The service on `db`. Sources' signing secrets are sealed with `keyring`.
    pub fn new(db: Db, keyring: SharedKeyring, settings: AlertsSettings) -> anyhow::Result<Alerts> {
        let writers = tokio::sync::Semaphore::new(settings.ingest_writers.max(1));
        let rules = Mutex::new(HashMap::new());
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let prepare = BulkCpu::start("alerts-prepare", cores)
            .map_err(|e| anyhow::anyhow!("starting the ingest preparation threads: {e}"))?;
        Ok(Alerts { inner: Arc::new(Inner { db, keyring, settings, rules, writers, prepare }) })
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn settings(&self) -> &AlertsSettings {
        &self.inner.settings
    }

    async fn keyring(&self) -> anyhow::Result<&Keyring> {
        self.inner.keyring.get().await
    }
}
