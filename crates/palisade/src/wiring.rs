//! What the binary adds to `edge::Services`: telling the operator, once, about the first
//! administrator created on an empty installation.

use identity::Identity;
use identity::service::bootstrap::BootstrapOutcome;
use identity::settings::IdentitySettings;

/// Creates the first administrator on an empty installation and tells the operator once.
pub async fn bootstrap(settings: &IdentitySettings, identity: &Identity) -> anyhow::Result<()> {
    let outcome =
        identity.bootstrap(&settings.admin_email, settings.admin_password.as_ref()).await?;
    if let BootstrapOutcome::Created { email, tenant, generated_password } = outcome {
        tracing::info!(%email, %tenant, "created the first global administrator and the default tenant");
        if let Some(password) = generated_password {
            // Printed to the terminal, never logged: logs are often shipped elsewhere.
            eprintln!(
                "\n  Palisade created the first administrator.\n    email:    {email}\n    password: {}\n  \
                 It is shown this once. After logging in, change it with POST /v1/auth/password\n  \
                 (current_password, new_password), or here with `palisade admin reset-password`.\n",
                password.expose()
            );
        }
    }
    Ok(())
}
