//! `Identity`: the handle through which the rest of Palisade authenticates requests and manages
//! tenants, users, sessions, API keys and roles. Cheap to clone; one per process.

pub mod api_keys;
pub mod audit_log;
pub mod authenticate;
pub mod bootstrap;
pub mod changes;
pub mod operator;
pub mod profile;
pub mod roles;
pub mod sessions;
pub mod tenants;
pub mod users;

use crate::cache::TtlCache;
use crate::credentials::{ApiKeyPepper, JwtKeys};
use crate::password::PasswordHasher;
use crate::settings::IdentitySettings;
use crate::store::auth::{ApiKeyRecord, UserRecord};
use platform::access::{PermissionSet, Role};
use platform::{Db, TenantId, UserId};
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// How long an authentication fact may be reused without asking the database. Changes made
/// through Palisade are announced and dropped at once; the TTL bounds anything else.
const CACHE_TTL: Duration = Duration::from_secs(5);
const ROLES_TTL: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub(crate) struct Caches {
    pub revoked: TtlCache<Uuid, bool>,
    pub users: TtlCache<UserId, Option<UserRecord>>,
    pub tenants: TtlCache<TenantId, Option<String>>,
    pub members: TtlCache<(TenantId, UserId), Option<(Role, String)>>,
    pub roles: TtlCache<(TenantId, Role), PermissionSet>,
    pub api_keys: TtlCache<String, Option<ApiKeyRecord>>,
}

impl Caches {
    fn new() -> Self {
        Self {
            revoked: TtlCache::new(CACHE_TTL),
            users: TtlCache::new(CACHE_TTL),
            tenants: TtlCache::new(CACHE_TTL),
            members: TtlCache::new(CACHE_TTL),
            roles: TtlCache::new(ROLES_TTL),
            api_keys: TtlCache::new(CACHE_TTL),
        }
    }

    pub fn clear_all(&self) {
        self.revoked.clear();
        self.users.clear();
        self.tenants.clear();
        self.members.clear();
        self.roles.clear();
        self.api_keys.clear();
    }
}

pub(crate) struct Inner {
    pub db: Db,
    pub settings: IdentitySettings,
    pub hasher: PasswordHasher,
    pub jwt: JwtKeys,
    pub pepper: ApiKeyPepper,
    pub caches: Caches,
}

#[derive(Clone)]
pub struct Identity {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Identity")
    }
}

impl Identity {
    /// Loads (or, on first start, generates) the server secrets and builds the service.
    pub async fn start(db: Db, settings: IdentitySettings) -> anyhow::Result<Identity> {
        let jwt_secret = match &settings.jwt_secret {
            Some(secret) => secret.expose().clone(),
            None => platform::server_secrets::load_or_create(db.pool(), "jwt_signing_key").await?,
        };
        let pepper = match &settings.api_key_pepper {
            Some(secret) => secret.expose().clone(),
            None => platform::server_secrets::load_or_create(db.pool(), "api_key_pepper").await?,
        };
        let jwt = JwtKeys::new(&jwt_secret, &settings.issuer, &settings.audience)
            .map_err(|e| anyhow::anyhow!("the JWT signing key is unusable: {e}"))?;
        let pepper = ApiKeyPepper::new(pepper)
            .map_err(|e| anyhow::anyhow!("the API key pepper is unusable: {e}"))?;
        let hasher = PasswordHasher::new(settings.hash_cost, settings.max_concurrent_hashes);
        let inner = Inner { db, settings, hasher, jwt, pepper, caches: Caches::new() };
        Ok(Identity { inner: Arc::new(inner) })
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn settings(&self) -> &IdentitySettings {
        &self.inner.settings
    }

    pub fn hasher(&self) -> &PasswordHasher {
        &self.inner.hasher
    }
}
