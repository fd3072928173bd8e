//! `palisade worker`: runs the job runner alone (no API), for scaling background work apart from
//! `palisade serve --no-workers`. On SIGINT/SIGTERM it claims no more jobs, lets running ones
//! finish (up to `jobs.shutdown_grace_secs`), then closes the pool.

use crate::database::{Database, Migrations};
use crate::serve::wait_for_signal;
use crate::wiring;
use anyhow::Context;
use platform::config::Config;

pub async fn run(config: Config) -> anyhow::Result<()> {
    let database = Database::open(&config, Migrations::ApplyIfOwner).await?;
    let worked = work(&config, &database).await;
    database.close().await;
    worked
}

async fn work(config: &Config, database: &Database) -> anyhow::Result<()> {
    let runner = wiring::job_runner(config, &database.app)
        .stop_when(wait_for_signal())
        .start()
        .await
        .context("starting the job runner (are the migrations applied? `palisade migrate`)")?;
    tracing::info!(worker_id = %runner.worker_id(), "worker running; SIGINT or SIGTERM stops it");
    runner.join().await?;
    Ok(())
}
