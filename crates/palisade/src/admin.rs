//! `palisade admin …`: operator tasks run against the configured database.

use crate::database::{Database, Migrations};
use clap::Subcommand;
use platform::TenantId;
use platform::audit::{self, VerifyError};
use platform::config::Config;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
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
    let database = Database::open(config, Migrations::ApplyIfOwner).await?;
    let result = match command {
        AdminCommand::AuditVerify { tenant } => audit_verify(&database, tenant).await,
    };
    database.close().await;
    result
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
