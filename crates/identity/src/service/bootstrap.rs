//! First start: an empty installation gets one protected global administrator and a default
//! tenant. Idempotent, and safe when several processes start at once.

use super::Identity;
use super::operator::generate_password;
use crate::model::{Email, Slug};
use crate::password::NewPassword;
use crate::store::{rbac, tenants, users};
use platform::access::Role;
use platform::audit::{self, Actor, AuditEntry, RequestContext};
use platform::{Secret, TenantId, UserId};
use serde_json::json;

#[derive(Debug)]
pub enum BootstrapOutcome {
    /// An administrator already existed; nothing was changed.
    AlreadyDone,
    /// The administrator was created; `generated_password` is set when none was configured and
    /// must be shown to the operator once.
    Created { email: String, tenant: TenantId, generated_password: Option<Secret<String>> },
}

impl Identity {
    pub async fn bootstrap(
        &self,
        email: &str,
        password: Option<&Secret<String>>,
    ) -> anyhow::Result<BootstrapOutcome> {
        let email =
            Email::parse(email).map_err(|e| anyhow::anyhow!("PALISADE_ADMIN_EMAIL: {e}"))?;
        let generated = password.is_none().then(|| Secret::new(generate_password(email.as_str())));
        let chosen =
            password.or(generated.as_ref()).map(|p| p.expose().as_str()).unwrap_or_default();
        let password = NewPassword::parse(chosen, email.as_str())
            .map_err(|e| anyhow::anyhow!("PALISADE_ADMIN_PASSWORD: {e}"))?;

        let mut tx = self.db().tenant_tx(TenantId::PLATFORM).await?;
        sqlx::query("select pg_advisory_xact_lock(hashtextextended('palisade:bootstrap', 0))")
            .execute(&mut *tx)
            .await?;
        let has_admin: bool =
            sqlx::query_scalar("select exists (select 1 from users where is_global_admin)")
                .fetch_one(&mut *tx)
                .await?;
        if has_admin {
            return Ok(BootstrapOutcome::AlreadyDone);
        }
        let hash = self.hasher().hash(&password).await?;
        let (tenant, user) = (TenantId::generate(), UserId::generate());
        let slug = Slug::parse("default").map_err(|e| anyhow::anyhow!("{e}"))?;
        tenants::insert(&mut tx, tenant, "Default", &slug).await?;
        let admin = users::NewUser {
            id: user,
            email: &email,
            display_name: "Administrator",
            password_hash: Some(&hash),
            global_admin: true,
            verified: true,
        };
        users::insert_user(&mut tx, &admin).await?;
        let context = RequestContext::default();
        for (action, target_type, target) in [
            ("tenant.create", "tenant", tenant.to_string()),
            ("user.create", "user", user.to_string()),
        ] {
            let entry = AuditEntry {
                actor: Actor::System,
                action,
                target_type,
                target_id: Some(target),
                context: &context,
                summary: json!({ "reason": "first start", "email": email.as_str() }),
            };
            audit::record(&mut tx, &entry).await?;
        }
        tx.switch_tenant(tenant).await?;
        rbac::seed_defaults(&mut tx).await?;
        users::insert_membership(&mut tx, user, Role::GLOBAL_ADMIN).await?;
        tx.commit().await?;
        Ok(BootstrapOutcome::Created {
            email: email.to_string(),
            tenant,
            generated_password: generated,
        })
    }
}
