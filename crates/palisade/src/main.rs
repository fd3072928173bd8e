//! The `palisade` binary: parses the command line and configuration, then hands over to the
//! command. Wiring only; behaviour lives in the library crates.

mod admin;
mod cli;
mod config;
mod database;
mod diffscan;
mod keys;
mod logging;
mod redirect;
mod scan;
mod serve;
mod settings;
mod sigma;
mod tls;
mod wiring;
mod worker;

use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    // Testing a rule needs neither configuration nor a database.
    if let cli::Command::Sigma { command } = &cli.command {
        return sigma::run(command);
    }
    // A CI job runs diffscan without a server: no configuration, no logging setup, no runtime.
    if let cli::Command::Diffscan(args) = &cli.command {
        return diffscan::run(args);
    }
    // A one-shot scan needs no configuration, database or log setup.
    if let cli::Command::Scan(args) = cli.command {
        return scan::main(args);
    }
    let config = match settings::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("palisade: {message}");
            return ExitCode::from(2);
        }
    };
    logging::init(&config.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("palisade: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(cli::run(cli.command, config));
    match result {
        Ok(code) => code,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "palisade stopped with an error");
            eprintln!("palisade: {e:#}");
            ExitCode::FAILURE
        }
    }
}
