//! `Notify`: the handle through which the API manages channels and reads events and deliveries,
//! and through which the relay job sends. Cheap to clone; one per process.
//!
//! Each mutation runs in one `tenant_tx` with exactly one audit row. The keyring is loaded on
//! first use (so the service can be built before the database is reachable).

pub mod channels;
pub mod deliveries;
pub mod fields;
mod guard;
pub mod input;
pub mod keys;

use crate::crypto::Keyring;
use crate::error::NotifyError;
use crate::send::Sender;
use crate::settings::NotifySettings;
use platform::Db;
use platform::outbound::OutboundPolicy;
use platform::server_secrets::SecretStore;
use std::fmt;
use std::sync::Arc;
use tokio::sync::OnceCell;

struct Inner {
    db: Db,
    settings: NotifySettings,
    sender: Sender,
    secrets: SecretStore,
    keyring: OnceCell<Keyring>,
}

#[derive(Clone)]
pub struct Notify {
    inner: Arc<Inner>,
}

impl fmt::Debug for Notify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Notify")
    }
}

impl Notify {
    /// The service on `db`, connecting out only where `outbound` allows; the generated channel
    /// key is a server secret of `secrets`.
    pub fn new(
        db: Db,
        outbound: OutboundPolicy,
        settings: NotifySettings,
        secrets: SecretStore,
    ) -> Notify {
        let sender = Sender::new(outbound, &settings.public_url, settings.send_timeout);
        let keyring = OnceCell::new();
        Notify { inner: Arc::new(Inner { db, settings, sender, secrets, keyring }) }
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn settings(&self) -> &NotifySettings {
        &self.inner.settings
    }

    pub fn sender(&self) -> &Sender {
        &self.inner.sender
    }

    /// The keys channel secrets are sealed and opened with, loaded once.
    pub async fn keyring(&self) -> Result<&Keyring, NotifyError> {
        self.inner
            .keyring
            .get_or_try_init(|| async {
                let settings = &self.inner.settings;
                let configured = settings
                    .encryption_key
                    .as_ref()
                    .map(|key| (settings.encryption_key_id.as_str(), key.expose().as_slice()));
                Keyring::load(&self.inner.secrets, configured).await
            })
            .await
            .map_err(|e| NotifyError::Unexpected(e.context("loading the channel encryption key")))
    }
}
