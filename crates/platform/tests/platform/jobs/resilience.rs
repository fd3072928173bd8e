//! Recovery from failures: a runner that died, database errors under a running runner, and a
//! runner spawned before its queue is usable.

use super::support::{self, Probe, Record, eventually, runner};
use platform::jobs::{self, EnqueueOptions, Recovery};
use std::time::Duration;
use testkit::test_db;

/// A killed runner can release nothing: what it leaves is its job and queue locked under its id
/// and a heartbeat that stops. That state is written here directly; a live runner's sweep must
/// give the job back without counting the interrupted attempt.
#[tokio::test]
async fn the_jobs_of_a_runner_that_died_are_recovered_by_another() {
    let db = test_db().await.app;
    let mut conn = db.pool().acquire().await.unwrap();
    let options = EnqueueOptions::in_queue("surface.scan:asset-9");
    let id = jobs::enqueue(&mut conn, &Record { n: 7, sleep_ms: 0 }, options).await.unwrap();
    support::die_holding(&db, id).await;

    let probe = Probe::default();
    let recovery = Recovery {
        heartbeat_interval: Duration::from_millis(200),
        sweep_interval: Duration::from_millis(200),
        sweep_threshold: Duration::from_secs(1),
        recovery_delay: Duration::ZERO,
    };
    let runner = runner(&db, &probe).recovery(recovery).start().await.unwrap();
    eventually("the dead runner's job ran", || probe.records() == vec![7]).await;
    assert_eq!(probe.attempts(), vec![1], "the interrupted attempt is not counted");
    runner.shutdown().await.unwrap();
}

/// The library stops a worker at its first database error; the runner must start a new one.
/// The error here: the queue's table is closed to the application role for a while.
#[tokio::test]
async fn a_runner_restarts_itself_after_database_errors() {
    let db = test_db().await;
    let owner = db.owner().await;
    let probe = Probe::default();
    let runner = runner(&db.app, &probe).start().await.unwrap();
    let first = runner.worker_id();
    let access = |verb: &'static str| {
        let owner = owner.clone();
        async move {
            let sql = format!(
                "{verb} all on graphile_worker._private_jobs {} palisade_app",
                if verb == "grant" { "to" } else { "from" }
            );
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&owner).await.unwrap();
        }
    };

    access("revoke").await;
    let mut conn = owner.acquire().await.unwrap();
    jobs::enqueue(&mut conn, &Record { n: 5, sleep_ms: 0 }, EnqueueOptions::default())
        .await
        .unwrap();
    eventually("a new worker replaced the failed one", || runner.worker_id() != first).await;
    assert!(probe.records().is_empty());
    access("grant").await;

    eventually("the job ran once the database answered again", || probe.records() == vec![5]).await;
    // The worker that ran the job may be one that also met the error just before the grant (its
    // other slots were still draining): then the stop reports that error. Either way it stops.
    let _ = runner.shutdown().await;
}

/// `spawn` (what `serve` uses) returns at once and starts the runner when the queue becomes
/// usable; here its schema is closed to the application role until then.
#[tokio::test]
async fn a_spawned_runner_starts_once_the_queue_is_usable() {
    let db = test_db().await;
    let owner = db.owner().await;
    let ledger = |sql: &'static str| {
        let owner = owner.clone();
        async move { sqlx::query(sql).execute(&owner).await.unwrap() }
    };
    ledger("revoke select on graphile_worker.migrations from palisade_app").await;
    let probe = Probe::default();
    let runner = runner(&db.app, &probe).spawn();
    let mut conn = owner.acquire().await.unwrap();
    jobs::enqueue(&mut conn, &Record { n: 3, sleep_ms: 0 }, EnqueueOptions::default())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(runner.worker_id(), "", "no worker could start yet");
    ledger("grant select on graphile_worker.migrations to palisade_app").await;

    eventually("the runner started and ran the job", || probe.records() == vec![3]).await;
    runner.shutdown().await.unwrap();
}
