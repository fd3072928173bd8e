//! Identity's settings section (`[auth]`): token lifetimes, registration, the configured JWT key
//! and API-key pepper, and the first administrator. Read from the configuration by
//! [`IdentitySettings::read`]; tests build it with [`IdentitySettings::new`] and a fast hash cost.

use crate::password::HashCost;
use crate::service::throttle::LoginThrottleSettings;
use platform::Secret;
use platform::config::Source;

#[derive(Clone, Debug)]
pub struct IdentitySettings {
    pub issuer: String,
    pub audience: String,
    pub access_ttl: chrono::Duration,
    pub refresh_ttl: chrono::Duration,
    /// Whether `POST /v1/auth/register` accepts new accounts.
    pub registration_enabled: bool,
    /// Configured JWT signing key (at least 32 bytes); `None` uses the one generated into the
    /// database.
    pub jwt_secret: Option<Secret<Vec<u8>>>,
    /// Configured API-key pepper (at least 32 bytes); `None` uses the one generated into the
    /// database.
    pub api_key_pepper: Option<Secret<Vec<u8>>>,
    pub hash_cost: HashCost,
    /// Password hashes computed at once; the rest wait.
    pub max_concurrent_hashes: usize,
    /// The global administrator created on first start.
    pub admin_email: String,
    /// Their password; generated and printed once when unset.
    pub admin_password: Option<Secret<String>>,
    /// How failed logins are slowed down.
    pub login_throttle: LoginThrottleSettings,
    /// The console's address as users reach it, for links in invitations and resets (the
    /// binary sets it from `public_url`).
    pub public_url: String,
    /// How long an invitation may be accepted.
    pub invitation_ttl: chrono::Duration,
    /// How long a password-reset or verification link works.
    pub account_token_ttl: chrono::Duration,
    /// How long a console session lives without a request (its cookie's token lifetime; each
    /// request past half of it renews the token).
    pub console_idle_timeout: chrono::Duration,
    /// How long a console session lives at most, however active, before a new login.
    pub console_max_age: chrono::Duration,
}

impl IdentitySettings {
    /// Production defaults with the given password-hash cost.
    pub fn new(hash_cost: HashCost) -> Self {
        Self {
            issuer: "palisade".into(),
            audience: "palisade-api".into(),
            access_ttl: chrono::Duration::minutes(15),
            refresh_ttl: chrono::Duration::days(7),
            registration_enabled: false,
            jwt_secret: None,
            api_key_pepper: None,
            hash_cost,
            max_concurrent_hashes: 4,
            admin_email: "admin@localhost".into(),
            admin_password: None,
            login_throttle: LoginThrottleSettings::default(),
            public_url: "https://localhost:8443".into(),
            invitation_ttl: chrono::Duration::days(7),
            account_token_ttl: chrono::Duration::hours(1),
            console_idle_timeout: chrono::Duration::minutes(30),
            console_max_age: chrono::Duration::hours(12),
        }
    }

    /// The `[auth]` section, with OWASP's Argon2id cost.
    pub fn read(src: &mut Source<'_>) -> IdentitySettings {
        let bytes = |text: String| Secret::new(text.into_bytes());
        IdentitySettings {
            registration_enabled: src.boolean(
                "auth.registration",
                &["PALISADE_AUTH_REGISTRATION"],
                false,
            ),
            jwt_secret: src
                .secret_of_at_least_32("auth.jwt_secret", &["PALISADE_AUTH_JWT_SECRET"])
                .map(bytes),
            api_key_pepper: src
                .secret_of_at_least_32("auth.api_key_pepper", &["PALISADE_AUTH_API_KEY_PEPPER"])
                .map(bytes),
            admin_email: src.string(
                "auth.admin_email",
                &["PALISADE_ADMIN_EMAIL"],
                "admin@localhost",
            ),
            admin_password: src
                .optional_string("auth.admin_password", &["PALISADE_ADMIN_PASSWORD"])
                .map(Secret::new),
            console_idle_timeout: chrono_duration(src.seconds(
                "console.idle_timeout_seconds",
                &["PALISADE_CONSOLE_IDLE_TIMEOUT_SECONDS"],
                30 * 60,
                60..=24 * 3600,
            )),
            console_max_age: chrono_duration(src.seconds(
                "console.max_age_seconds",
                &["PALISADE_CONSOLE_MAX_AGE_SECONDS"],
                12 * 3600,
                300..=30 * 24 * 3600,
            )),
            ..IdentitySettings::new(HashCost::Owasp)
        }
    }
}

fn chrono_duration(duration: std::time::Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}
