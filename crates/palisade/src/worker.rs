//! `palisade worker`: runs the job runner alone (no API), for scaling background work apart from
//! `palisade serve --no-workers`. On SIGINT/SIGTERM it claims no more jobs, lets running ones
//! finish (up to `jobs.shutdown_grace_secs`), then closes the pool. Several workers, on one or
//! several machines, share the queue without running a job twice.

use crate::config::Config;
use crate::database::Database;
use crate::serve::wait_for_signal;
use anyhow::Context;
use edge::Services;

pub async fn run(config: Config) -> anyhow::Result<()> {
    // Beside a running `palisade serve` on the same data_dir, share its embedded cluster.
    let database = Database::open_or_attach(&config.app.platform).await?;
    let worked = work(&config, &database).await;
    database.close().await;
    worked
}

async fn work(config: &Config, database: &Database) -> anyhow::Result<()> {
    let services = Services::build(&config.app, database.app.clone()).await?;
    let runner = services
        .job_runner(&config.app)
        .stop_when(wait_for_signal())
        .start()
        .await
        .context("starting the job runner (are the migrations applied? `palisade migrate`)")?;
    tracing::info!(worker_id = %runner.worker_id(), "worker running; SIGINT or SIGTERM stops it");
    runner.join().await?;
    Ok(())
}
