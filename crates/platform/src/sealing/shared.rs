//! The keyring of a process, loaded once on first use (so that services can be built before the
//! database is reachable) and shared by every service that seals secrets, so that all of them
//! seal with the same key and open what the others sealed. It holds the configured data keys
//! until then and never shows them.

use super::Keyring;
use crate::Secret;
use crate::server_secrets::SecretStore;
use std::fmt;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// A configured data key: 32 bytes and the id stored beside what it sealed.
#[derive(Clone)]
pub struct DataKey {
    pub id: String,
    pub key: Secret<Vec<u8>>,
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataKey").field("id", &self.id).finish_non_exhaustive()
    }
}

struct Shared {
    secrets: SecretStore,
    configured: Option<DataKey>,
    previous: Option<DataKey>,
    keyring: OnceCell<Keyring>,
}

/// Cheap to clone; every clone shares one keyring.
#[derive(Clone)]
pub struct SharedKeyring {
    shared: Arc<Shared>,
}

impl fmt::Debug for SharedKeyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedKeyring").field("keyring", &self.shared.keyring.get()).finish()
    }
}

impl SharedKeyring {
    /// The keyring of `configured` (and `previous`, during a rotation), with the key generated
    /// into `secrets` when none is configured.
    pub fn new(
        secrets: SecretStore,
        configured: Option<DataKey>,
        previous: Option<DataKey>,
    ) -> SharedKeyring {
        let keyring = OnceCell::new();
        SharedKeyring { shared: Arc::new(Shared { secrets, configured, previous, keyring }) }
    }

    /// The keyring, loaded on the first call.
    pub async fn get(&self) -> anyhow::Result<&Keyring> {
        let shared = &self.shared;
        shared
            .keyring
            .get_or_try_init(|| async {
                Keyring::load(&shared.secrets, shared.configured.as_ref(), shared.previous.as_ref())
                    .await
            })
            .await
            .map_err(|e| e.context("loading the encryption key"))
    }
}
