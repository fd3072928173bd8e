//! `Identity`: the handle through which the rest of Palisade authenticates requests and manages
//! tenants, users, sessions, API keys and roles. Cheap to clone; one per process.

pub mod access;
pub mod api_keys;
pub mod audit_log;
pub mod authenticate;
pub mod bootstrap;
pub mod changes;
pub mod console;
pub mod invitations;
pub mod mail;
pub mod operator;
pub mod profile;
pub mod recovery;
pub mod roles;
pub mod sessions;
pub mod tenants;
pub mod throttle;
pub mod users;

use crate::cache::TtlCache;
use crate::credentials::{ApiKeyPepper, JwtKeys, TokenKey};
use crate::password::PasswordHasher;
use crate::settings::IdentitySettings;
use crate::store::auth::{ApiKeyRecord, UserRecord};
use crate::store::sessions::SessionState;
use platform::access::{PermissionSet, Role};
use platform::mail::Mailer;
use platform::server_secrets::SecretStore;
use platform::{Db, TenantId, UserId};
use std::sync::Arc;
use std::time::Duration;
use throttle::LoginThrottle;
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
    /// Sessions (refresh-token families) by (home tenant, user, family).
    pub sessions: TtlCache<(TenantId, UserId, Uuid), Option<SessionState>>,
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
            sessions: TtlCache::new(CACHE_TTL),
        }
    }

    pub fn clear_all(&self) {
        self.revoked.clear();
        self.users.clear();
        self.tenants.clear();
        self.members.clear();
        self.roles.clear();
        self.api_keys.clear();
        self.sessions.clear();
    }
}

pub(crate) struct Inner {
    pub db: Db,
    pub settings: IdentitySettings,
    pub hasher: PasswordHasher,
    pub jwt: JwtKeys,
    pub pepper: ApiKeyPepper,
    /// Makes and checks the tokens sent by email (invitations, password resets, verifications).
    pub tokens: TokenKey,
    /// The installation's mail; `None` when `[mail]` is not configured.
    pub mailer: Option<Arc<dyn Mailer>>,
    pub throttle: LoginThrottle,
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
    /// Loads (or, on first start, generates) the server secrets and builds the service; mail to
    /// people (invitations, password resets) goes through `mailer`.
    pub async fn start(
        db: Db,
        settings: IdentitySettings,
        mailer: Option<Arc<dyn Mailer>>,
        secrets: &SecretStore,
    ) -> anyhow::Result<Identity> {
        let jwt_secret = match &settings.jwt_secret {
            Some(secret) => secret.expose().clone(),
            None => secrets.load_or_create("jwt_signing_key").await?.expose().clone(),
        };
        let pepper = match &settings.api_key_pepper {
            Some(secret) => secret.expose().clone(),
            None => secrets.load_or_create("api_key_pepper").await?.expose().clone(),
        };
        let jwt = JwtKeys::new(&jwt_secret, &settings.issuer, &settings.audience)
            .map_err(|e| anyhow::anyhow!("the JWT signing key is unusable: {e}"))?;
        let pepper = ApiKeyPepper::new(pepper)
            .map_err(|e| anyhow::anyhow!("the API key pepper is unusable: {e}"))?;
        let token_key = secrets.load_or_create("email_token_key").await?;
        let tokens = TokenKey::new(token_key.expose())
            .map_err(|e| anyhow::anyhow!("the email token key is unusable: {e}"))?;
        let hasher = PasswordHasher::new(settings.hash_cost, settings.max_concurrent_hashes);
        let throttle = LoginThrottle::new(settings.login_throttle.clone());
        let inner = Inner {
            db,
            settings,
            hasher,
            jwt,
            pepper,
            tokens,
            mailer,
            throttle,
            caches: Caches::new(),
        };
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
