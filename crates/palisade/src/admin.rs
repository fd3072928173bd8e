//! `palisade admin …`: operator tasks run against the configured database, also while
//! `palisade serve` runs on the same data_dir. Changes are audited with the system as actor.

use crate::config::Config;
use crate::database::Database;
use crate::keys;
use clap::Subcommand;
use edge::Services;
use identity::Identity;
use identity::service::operator::OperatorMember;
use identity::service::users::MemberChanges;
use platform::TenantId;
use platform::access::Principal;
use platform::audit::{self, RequestContext, VerifyError};
use platform::jobs;
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
    /// Walk the audit log's keyed chains and signed checkpoints; exit non-zero naming the first
    /// bad row. A chain that verifies gets a new checkpoint of its head.
    AuditVerify {
        /// Only this tenant's chain (a tenant id). Default: every tenant and the platform scope.
        #[arg(long, value_parser = parse_tenant)]
        tenant: Option<TenantId>,
    },
    /// Wrap every stored key with the current master key (a new one, when the key file is in
    /// use) and re-seal every channel secret with the current channel key; then check that
    /// nothing needs an older key any more.
    RotateKeys,
    /// Jobs that used every attempt: list them, retry one, or delete one.
    FailedJobs {
        #[command(subcommand)]
        action: Option<FailedJobsCommand>,
    },
}

#[derive(Subcommand, Debug)]
pub enum FailedJobsCommand {
    /// List them, most recent first (the default).
    List {
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Give one a fresh set of attempts, now.
    Retry { id: i64 },
    /// Remove one for good.
    Delete { id: i64 },
}

fn parse_tenant(text: &str) -> Result<TenantId, String> {
    TenantId::parse(text).map_err(|e| e.to_string())
}

pub async fn run(command: AdminCommand, config: &Config) -> anyhow::Result<ExitCode> {
    let database = Database::open_or_attach(&config.app.platform).await?;
    let result = match command {
        AdminCommand::FailedJobs { action } => failed_jobs(&database, action).await,
        AdminCommand::RotateKeys => keys::rotate(config, &database).await,
        other => match Services::build(&config.app, database.app.clone()).await {
            Ok(services) => match other {
                AdminCommand::AuditVerify { tenant } => audit_verify(&services, tenant).await,
                other => manage(&services.identity, other).await.map(|()| ExitCode::SUCCESS),
            },
            Err(e) => Err(e),
        },
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
        AdminCommand::AuditVerify { .. }
        | AdminCommand::RotateKeys
        | AdminCommand::FailedJobs { .. } => {}
    }
    Ok(())
}

async fn find_tenant(identity: &Identity, text: &str) -> anyhow::Result<TenantId> {
    identity.find_tenant(text).await?.ok_or_else(|| anyhow::anyhow!("no tenant {text}"))
}

async fn find_user(identity: &Identity, email: &str) -> anyhow::Result<platform::UserId> {
    identity.find_user(email).await?.ok_or_else(|| anyhow::anyhow!("no user {email}"))
}

async fn audit_verify(services: &Services, tenant: Option<TenantId>) -> anyhow::Result<ExitCode> {
    let pool = services.db.pool();
    let key = services.db.audit_key().ok_or_else(|| anyhow::anyhow!("no audit key"))?;
    let tenants = match tenant {
        Some(tenant) => vec![tenant],
        None => audit::chains(pool).await?,
    };
    let (mut rows, mut checkpoints) = (0, 0);
    for tenant in &tenants {
        match audit::verify(pool, key, *tenant).await {
            Ok(verified) => {
                rows += verified.rows;
                checkpoints += verified.checkpoints;
            }
            Err(VerifyError::Broken(broken)) => {
                println!("audit-verify: FAILED: {broken}");
                return Ok(ExitCode::FAILURE);
            }
            Err(other) => return Err(other.into()),
        }
        if let Some(signed) = audit::checkpoint(pool, key, *tenant).await? {
            println!(
                "checkpoint {} seq {} mac {}",
                signed.tenant,
                signed.seq,
                hex::encode(&signed.mac)
            );
        }
    }
    println!(
        "audit-verify: ok ({rows} rows in {} chains verified against {checkpoints} signed checkpoints)",
        tenants.len()
    );
    Ok(ExitCode::SUCCESS)
}

async fn failed_jobs(
    database: &Database,
    action: Option<FailedJobsCommand>,
) -> anyhow::Result<ExitCode> {
    let pool = database.app.pool();
    match action.unwrap_or(FailedJobsCommand::List { limit: 50 }) {
        FailedJobsCommand::List { limit } => {
            let jobs = jobs::failed_jobs(pool, limit).await?;
            for job in &jobs {
                println!(
                    "{}\t{}\t{}/{} attempts\t{}\t{}",
                    job.id,
                    job.task,
                    job.attempts,
                    job.max_attempts,
                    job.created_at.to_rfc3339(),
                    job.last_error.as_deref().unwrap_or("-").replace('\n', " ")
                );
            }
            println!("{} failed job(s)", jobs.len());
            Ok(ExitCode::SUCCESS)
        }
        FailedJobsCommand::Retry { id } => done(jobs::retry_failed(pool, id).await?, id, "retried"),
        FailedJobsCommand::Delete { id } => {
            done(jobs::delete_failed(pool, id).await?, id, "deleted")
        }
    }
}

fn done(found: bool, id: i64, what: &str) -> anyhow::Result<ExitCode> {
    if found {
        println!("job {id} {what}");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("job {id} is not a failed job");
        Ok(ExitCode::FAILURE)
    }
}
