//! Builds the long-lived services from the configuration: identity (with first-start
//! bootstrap), notifications, the rate limits, the application state the router serves, and the
//! job runner.

use api::rate_limit::{Rate, RateLimits};
use api::{AppState, HttpSettings};
use identity::password::HashCost;
use identity::service::bootstrap::BootstrapOutcome;
use identity::{Identity, IdentitySettings};
use notify::{Notify, NotifySettings};
use platform::config::Config;
use platform::jobs::{JobRunner, JobRunnerBuilder};
use platform::{Db, Secret};

pub async fn identity(config: &Config, db: Db) -> anyhow::Result<Identity> {
    let mut settings = IdentitySettings::new(HashCost::Owasp);
    settings.registration_enabled = config.auth.registration;
    settings.jwt_secret =
        config.auth.jwt_secret.as_ref().map(|s| Secret::new(s.expose().as_bytes().to_vec()));
    settings.api_key_pepper =
        config.auth.api_key_pepper.as_ref().map(|s| Secret::new(s.expose().as_bytes().to_vec()));
    Identity::start(db, settings).await
}

/// Creates the first administrator on an empty installation and tells the operator once.
pub async fn bootstrap(config: &Config, identity: &Identity) -> anyhow::Result<()> {
    let outcome =
        identity.bootstrap(&config.auth.admin_email, config.auth.admin_password.as_ref()).await?;
    if let BootstrapOutcome::Created { email, tenant, generated_password } = outcome {
        tracing::info!(%email, %tenant, "created the first global administrator and the default tenant");
        if let Some(password) = generated_password {
            // Printed to the terminal, never logged: logs are often shipped elsewhere.
            eprintln!(
                "\n  Palisade created the first administrator.\n    email:    {email}\n    password: {}\n  \
                 It is shown this once; change it after logging in.\n",
                password.expose()
            );
        }
    }
    Ok(())
}

pub fn rate_limits(config: &Config) -> anyhow::Result<RateLimits> {
    let mut limits = RateLimits::default();
    let mut errors = Vec::new();
    for (name, text) in &config.rate_limits {
        let slot = match name.as_str() {
            "auth_per_ip" => &mut limits.auth_per_ip,
            "auth_per_account" => &mut limits.auth_per_account,
            "general_per_ip" => &mut limits.general_per_ip,
            "general_per_principal" => &mut limits.general_per_principal,
            "bulk_per_principal" => &mut limits.bulk_per_principal,
            "expensive_per_principal" => &mut limits.expensive_per_principal,
            _ => continue,
        };
        match Rate::parse(text) {
            Ok(rate) => *slot = rate,
            Err(e) => errors.push(format!("rate_limits.{name}: `{text}` {e}")),
        }
    }
    if errors.is_empty() {
        Ok(limits)
    } else {
        anyhow::bail!("invalid configuration:\n  - {}", errors.join("\n  - "))
    }
}

/// Notifications: channels, events, deliveries and their relay. Loads nothing yet (the
/// encryption key is read on first use), so it can be built while the database is down.
pub fn notify(config: &Config, db: Db) -> anyhow::Result<Notify> {
    use base64::Engine;
    let mut settings = NotifySettings::new(config.public_url.clone());
    settings.encryption_key_id = config.encryption_key_id.clone();
    if let Some(key) = &config.encryption_key {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(key.expose().trim())
            .map_err(|_| anyhow::anyhow!("encryption.key is not base64"))?;
        settings.encryption_key = Some(Secret::new(bytes));
    }
    Ok(Notify::new(db, config.outbound.clone(), settings))
}

pub fn app_state(
    config: &Config,
    identity: Identity,
    notify: Notify,
    limits: RateLimits,
) -> AppState {
    let feed = notify::feed::Hub::new(identity.db().clone(), notify::feed::FeedSettings::default());
    AppState::new(
        identity,
        notify,
        feed,
        HttpSettings {
            body_limit_bytes: config.http.body_limit_bytes,
            request_timeout: config.http.request_timeout,
            https: !config.tls.behind_proxy,
        },
        limits,
    )
}

/// The job runner of `serve` and `worker`: every capability registers its jobs and schedules
/// here as it lands, so that both commands run the same set.
pub fn job_runner(config: &Config, db: &Db, notify: &Notify) -> JobRunnerBuilder {
    let builder = JobRunner::builder(db)
        .concurrency(config.jobs.concurrency)
        .shutdown_grace(config.jobs.shutdown_grace);
    notify::register_jobs(builder, notify)
}
