//! `palisade admin …`: operator tasks run against the configured database, also while
//! `palisade serve` runs on the same data_dir. Changes are audited with the system as actor.

use crate::config::Config;
use crate::database::Database;
use clap::Subcommand;
use edge::Services;
use identity::Identity;
use identity::service::operator::OperatorMember;
use identity::service::users::MemberChanges;
use platform::TenantId;
use platform::access::Principal;
use platform::audit::{self, RequestContext, VerifyError};
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create a tenant (with the default role matrix).
    CreateTenant {
        #[arg(long)]
        name: String,
        /// Lowercase letters, digits and dashes.
        #[arg(long)]
        slug: String,
    },
    /// Create a user in a tenant; prints a generated password once unless PALISADE_NEW_PASSWORD
    /// is set.
    CreateUser {
        #[arg(long)]
        email: String,
        /// Tenant id or slug.
        #[arg(long)]
        tenant: String,
        /// One of the roles of `GET /v1/roles`, e.g. SOC_ANALYST_L1.
        #[arg(long)]
        role: String,
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Set a new password (PALISADE_NEW_PASSWORD, or generated and printed once) and end every
    /// session of the user.
    ResetPassword {
        #[arg(long)]
        email: String,
    },
    /// Change a user's role in a tenant.
    SetRole {
        #[arg(long)]
        email: String,
        /// Tenant id or slug.
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        role: String,
    },
    /// End every session of a user, in every tenant.
    RevokeSessions {
        #[arg(long)]
        email: String,
    },
    /// Walk the audit log's hash chains; exit non-zero naming the first bad row.
    AuditVerify {
        /// Only this tenant's chain (a tenant id). Default: every tenant and the platform scope.
        #[arg(long, value_parser = parse_tenant)]
        tenant: Option<TenantId>,
    },
}

fn parse_tenant(text: &str) -> Result<TenantId, String> {
    TenantId::parse(text).map_err(|e| e.to_string())
}

pub async fn run(command: AdminCommand, config: &Config) -> anyhow::Result<ExitCode> {
    let database = Database::open_or_attach(&config.app.platform).await?;
    let result = match command {
        AdminCommand::AuditVerify { tenant } => audit_verify(&database, tenant).await,
        other => {
            let services = Services::build(&config.app, database.app.clone()).await?;
            manage(&services.identity, other).await.map(|()| ExitCode::SUCCESS)
        }
    };
    database.close().await;
    result
}

async fn manage(identity: &Identity, command: AdminCommand) -> anyhow::Result<()> {
    let context =
        RequestContext { user_agent: Some("palisade admin".into()), ..Default::default() };
    let new_password = std::env::var("PALISADE_NEW_PASSWORD").ok();
    match command {
        AdminCommand::CreateTenant { name, slug } => {
            let tenant = identity
                .create_tenant(&context, &Principal::system(TenantId::PLATFORM), &name, &slug)
                .await?;
            println!("created tenant {} ({})", tenant.slug, tenant.id);
        }
        AdminCommand::CreateUser { email, tenant, role, display_name } => {
            let tenant = find_tenant(identity, &tenant).await?;
            let new = OperatorMember {
                email: &email,
                role: &role,
                display_name: display_name.as_deref(),
                password: new_password.as_deref(),
            };
            let (member, created) = identity.create_member(&context, tenant, new).await?;
            println!("added {} to tenant {tenant} as {}", member.email, member.role.as_str());
            match created {
                Some(password) if new_password.is_none() => {
                    println!("password (shown once): {}", password.expose());
                }
                Some(_) => {}
                None => println!("the account existed already and keeps its password"),
            }
        }
        AdminCommand::ResetPassword { email } => {
            let password =
                identity.reset_password(&context, &email, new_password.as_deref()).await?;
            println!("password of {email} reset; every session ended");
            if new_password.is_none() {
                println!("password (shown once): {}", password.expose());
            }
        }
        AdminCommand::SetRole { email, tenant, role } => {
            let tenant = find_tenant(identity, &tenant).await?;
            let user = find_user(identity, &email).await?;
            let changes = MemberChanges { role: Some(&role), display_name: None };
            identity.update_member(&context, &Principal::system(tenant), user, changes).await?;
            println!("{email} is now {role} in tenant {tenant}");
        }
        AdminCommand::RevokeSessions { email } => {
            identity.revoke_sessions(&context, &email).await?;
            println!("every session of {email} ended");
        }
        AdminCommand::AuditVerify { .. } => {}
    }
    Ok(())
}

async fn find_tenant(identity: &Identity, text: &str) -> anyhow::Result<TenantId> {
    identity.find_tenant(text).await?.ok_or_else(|| anyhow::anyhow!("no tenant {text}"))
}

async fn find_user(identity: &Identity, email: &str) -> anyhow::Result<platform::UserId> {
    identity.find_user(email).await?.ok_or_else(|| anyhow::anyhow!("no user {email}"))
}

async fn audit_verify(database: &Database, tenant: Option<TenantId>) -> anyhow::Result<ExitCode> {
    let pool = database.app.pool();
    let tenants = match tenant {
        Some(tenant) => vec![tenant],
        None => audit::chains(pool).await?,
    };
    let mut rows = 0;
    for tenant in tenants {
        match audit::verify(pool, tenant).await {
            Ok(count) => rows += count,
            Err(VerifyError::Broken(broken)) => {
                println!("audit-verify: FAILED: {broken}");
                return Ok(ExitCode::FAILURE);
            }
            Err(other) => return Err(other.into()),
        }
    }
    println!("audit-verify: ok ({rows} rows verified)");
    Ok(ExitCode::SUCCESS)
}
