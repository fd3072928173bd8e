//! The command line: `serve`, `worker`, `migrate`, `admin …`, `scan`, `diffscan` and `sigma
//! test`, each with `--help`.

use crate::config::Config;
use crate::{admin, database, diffscan, scan, serve, sigma, worker};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "palisade", version, about = "Multi-tenant security operations in one binary")]
pub struct Cli {
    /// Configuration file (TOML). Default: palisade.toml in the working directory, if present.
    /// PALISADE_* environment variables override it.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the HTTPS API (and its redirect listener) and the background job runner against the
    /// embedded or configured database.
    Serve {
        /// Serve the API only; leave background jobs to `palisade worker` processes.
        #[arg(long)]
        no_workers: bool,
    },
    /// Run background jobs and schedules only (no API), until SIGINT or SIGTERM.
    Worker,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Administrative tasks.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// Sigma rules, without a database: `sigma test RULE.yml EVENTS.ndjson`.
    Sigma {
        #[command(subcommand)]
        command: sigma::SigmaCommand,
    },
    /// Scan a diff for CI (no database): exit 0 pass, 1 fail, 2 error. `diffscan
    /// verify-artifact FILE` checks a signed result offline.
    Diffscan(diffscan::DiffscanArgs),
    /// Scan targets' TCP ports (and TLS certificates) once, with no database: JSON Lines with
    /// --json. Exit code 0 scanned, 1 nothing could be scanned, 2 bad arguments, 130
    /// interrupted.
    Scan(scan::ScanArgs),
}

pub async fn run(command: Command, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve { no_workers } => {
            serve::run(config, !no_workers).await.map(|()| ExitCode::SUCCESS)
        }
        Command::Worker => worker::run(config).await.map(|()| ExitCode::SUCCESS),
        Command::Migrate => {
            let database =
                database::Database::open(&config.app.platform, database::Migrations::Apply).await?;
            println!("migrations applied");
            database.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Admin { command } => admin::run(command, &config).await,
        Command::Sigma { command } => Ok(sigma::run(&command)),
        Command::Diffscan(args) => Ok(diffscan::run(&args)),
        Command::Scan(args) => Ok(scan::run(args).await),
    }
}
