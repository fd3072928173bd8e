//! `Notify`: the handle through which the API manages channels and reads events and deliveries,
//! and through which the relay job sends. Cheap to clone; one per process.
//!
//! Each mutation runs in one `tenant_tx` with exactly one audit row. Channel secrets are sealed
//! with the process's shared keyring (`platform::sealing`), loaded on first use.

pub mod channels;
pub mod deliveries;
pub mod fields;
mod guard;
pub mod input;
pub mod keys;

use crate::error::NotifyError;
use crate::send::Sender;
use crate::settings::NotifySettings;
use platform::Db;
use platform::outbound::OutboundPolicy;
use platform::sealing::{Keyring, SharedKeyring};
use std::fmt;
use std::sync::Arc;

struct Inner {
    db: Db,
    settings: NotifySettings,
    sender: Sender,
    keyring: SharedKeyring,
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
    /// The service on `db`, connecting out only where `outbound` allows, sealing channel
    /// secrets with `keyring`.
    pub fn new(
        db: Db,
        outbound: OutboundPolicy,
        settings: NotifySettings,
        keyring: SharedKeyring,
    ) -> Notify {
        let sender = Sender::new(outbound, &settings.public_url, settings.send_timeout);
        Notify { inner: Arc::new(Inner { db, settings, sender, keyring }) }
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
        self.inner.keyring.get().await.map_err(NotifyError::Unexpected)
    }
}
