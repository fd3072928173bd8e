//! The job runner against a real database, as the application role: transactional enqueue,
//! exactly-once execution, retries with backoff, serial queues, several runners sharing work,
//! failed jobs, cron registration, graceful shutdown and the role's privileges. Recovery from
//! failures is in `resilience`.

mod resilience;
mod support;

use platform::audit::{self, Actor, AuditEntry, RequestContext};
use platform::jobs::{self, EnqueueOptions};
use platform::{Db, TenantId};
use serde_json::json;
use std::time::{Duration, Instant};
use support::{Broken, Flaky, Probe, Record, Sleepy, eventually, runner};
use testkit::test_db;

async fn job_rows(db: &Db) -> i64 {
    sqlx::query_scalar("select count(*) from graphile_worker._private_jobs")
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_job_enqueued_in_a_rolled_back_transaction_never_runs_and_a_committed_one_runs_once() {
    let key = platform::audit::AuditKey::new(&[3u8; 32]).unwrap();
    let db = test_db().await.app.with_audit_key(key);
    let probe = Probe::default();
    let runner = runner(&db, &probe).start().await.unwrap();
    let tenant = TenantId::generate();
    let context = RequestContext::default();
    let entry = |n: u32| AuditEntry {
        actor: Actor::System,
        action: "thing.update",
        target_type: "thing",
        target_id: Some(n.to_string()),
        context: &context,
        summary: json!({}),
    };

    for (n, commit) in [(1, false), (2, true)] {
        let mut tx = db.tenant_tx(tenant).await.unwrap();
        audit::record(&mut tx, &entry(n)).await.unwrap();
        jobs::enqueue(&mut tx, &Record { n, sleep_ms: 0 }, EnqueueOptions::default())
            .await
            .unwrap();
        if commit { tx.commit().await.unwrap() } else { tx.rollback().await.unwrap() }
    }

    eventually("the committed job ran", || probe.records().contains(&2)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(probe.records(), vec![2]);
    assert_eq!(job_rows(&db).await, 0, "a completed job is deleted");
    runner.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_failing_job_is_retried_with_exponential_backoff_until_it_succeeds() {
    let db = test_db().await.app;
    let probe = Probe::default();
    let runner = runner(&db, &probe).start().await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    let id =
        jobs::enqueue(&mut conn, &Flaky { failures: 2 }, EnqueueOptions::default()).await.unwrap();

    // The library waits exp(attempts) seconds: 2.7 s after the first failure, 7.4 s after the
    // second. Check each delay, then bring the job forward so the test does not sleep it out.
    for (attempts, backoff) in [(1_i16, 1_f64.exp()), (2, 2_f64.exp())] {
        let mut state = None;
        for _ in 0..250 {
            state = support::failed_attempt(&db, id, attempts).await;
            if state.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let (delay, last_error) = state.expect("the attempt failed and was rescheduled");
        assert!(delay > backoff - 1.0 && delay <= backoff + 0.1, "attempt {attempts}: {delay}");
        assert_eq!(last_error, format!("TaskError(\"flaky failure on attempt {attempts}\")"));
        sqlx::query("update graphile_worker._private_jobs set run_at = now() where id = $1")
            .bind(id)
            .execute(db.pool())
            .await
            .unwrap();
    }

    eventually("the third attempt succeeded", || probe.records() == vec![1, 2, 3]).await;
    eventually_no_rows(&db).await;
    runner.shutdown().await.unwrap();
}

async fn eventually_no_rows(db: &Db) {
    for _ in 0..100 {
        if job_rows(db).await == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the job row was not deleted after it completed");
}

#[tokio::test]
async fn jobs_of_one_queue_run_one_at_a_time_and_other_queues_in_parallel() {
    let db = test_db().await.app;
    let probe = Probe::default();
    let runner = runner(&db, &probe).start().await.unwrap();
    let mut tx = db.pool().begin().await.unwrap();
    for _ in 0..2 {
        let options = EnqueueOptions::in_queue("surface.scan:asset-1");
        jobs::enqueue(&mut tx, &Sleepy { ms: 300 }, options).await.unwrap();
    }
    let started = Instant::now();
    tx.commit().await.unwrap();
    eventually("both queued jobs ran", || probe.records().len() == 2).await;
    assert!(started.elapsed() >= Duration::from_millis(600), "{:?}", started.elapsed());
    assert_eq!(probe.max_running(), 1);

    runner.shutdown().await.unwrap();
    let probe_parallel = Probe::default();
    let runner_parallel = support::runner(&db, &probe_parallel).start().await.unwrap();
    let mut tx = db.pool().begin().await.unwrap();
    for asset in ["asset-2", "asset-3"] {
        let options = EnqueueOptions::in_queue(format!("surface.scan:{asset}"));
        jobs::enqueue(&mut tx, &Sleepy { ms: 500 }, options).await.unwrap();
    }
    tx.commit().await.unwrap();
    eventually("both jobs ran", || probe_parallel.records().len() == 2).await;
    assert_eq!(probe_parallel.max_running(), 2, "jobs of two queues overlap");
    runner_parallel.shutdown().await.unwrap();
}

#[tokio::test]
async fn two_runners_share_the_work_without_running_any_job_twice() {
    let db = test_db().await;
    let probe = Probe::default();
    // Each runner with a pool of its own, as two processes would have.
    let mut runners = Vec::new();
    for _ in 0..2 {
        let pool = support::app_pool(&db).await;
        runners.push(runner(&pool, &probe).concurrency(2).start().await.unwrap());
    }
    let mut tx = db.app.pool().begin().await.unwrap();
    for n in 0..20 {
        jobs::enqueue(&mut tx, &Record { n, sleep_ms: 50 }, EnqueueOptions::default())
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    eventually("all 20 jobs ran", || probe.records().len() >= 20).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut ran = probe.records();
    ran.sort_unstable();
    assert_eq!(ran, (0..20).collect::<Vec<_>>(), "each job ran exactly once");
    let workers = probe.workers();
    assert_eq!(workers.len(), 2, "both runners took jobs: {workers:?}");
    for runner in runners {
        assert!(workers.contains(&runner.worker_id()));
        runner.shutdown().await.unwrap();
    }
}

#[tokio::test]
async fn a_job_out_of_attempts_is_listed_as_failed_and_can_be_retried() {
    let db = test_db().await.app;
    let probe = Probe::default();
    let runner = runner(&db, &probe).start().await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    let options = EnqueueOptions { max_attempts: Some(1), ..EnqueueOptions::default() };
    let id = jobs::enqueue(&mut conn, &Broken { reason: "boom".into() }, options).await.unwrap();
    drop(conn);

    let mut failed = Vec::new();
    for _ in 0..250 {
        failed = jobs::failed_jobs(db.pool(), 10).await.unwrap();
        if !failed.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(failed.len(), 1, "{failed:?}");
    let job = &failed[0];
    assert_eq!((job.id, job.task.as_str()), (id, "test.broken"));
    assert_eq!((job.attempts, job.max_attempts), (1, 1));
    assert_eq!(job.last_error.as_deref(), Some("boom: it always fails"));
    assert_eq!(job.payload, json!({"reason": "boom"}));
    assert_eq!(probe.records(), vec![1]);

    assert!(jobs::retry_failed(db.pool(), id).await.unwrap());
    eventually("the retried job ran again", || probe.records().len() == 2).await;
    assert!(!jobs::retry_failed(db.pool(), id + 1000).await.unwrap(), "no such job");
    runner.shutdown().await.unwrap();
}

#[tokio::test]
async fn shutdown_lets_the_running_job_finish_and_claims_nothing_more() {
    let db = test_db().await.app;
    let probe = Probe::default();
    let runner = runner(&db, &probe).start().await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    jobs::enqueue(&mut conn, &Sleepy { ms: 400 }, EnqueueOptions::default()).await.unwrap();
    eventually("the job started", || probe.running() == 1).await;

    runner.shutdown().await.unwrap();
    assert_eq!(probe.records().len(), 1, "the job in flight finished");
    assert_eq!(job_rows(&db).await, 0, "and was completed");

    jobs::enqueue(&mut conn, &Record { n: 9, sleep_ms: 0 }, EnqueueOptions::default())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(probe.records().len(), 1);
    assert_eq!(job_rows(&db).await, 1, "a stopped runner claims nothing");
}

#[tokio::test]
async fn a_cron_schedule_is_registered_once_and_a_bad_one_is_refused() {
    let db = test_db().await.app;
    let probe = Probe::default();
    let job = Record { n: 1, sleep_ms: 0 };
    let err = runner(&db, &probe).cron("nightly", "61 * * * *", &job).unwrap_err();
    assert!(err.to_string().contains("invalid cron schedule `61 * * * *`"), "{err}");
    let err = runner(&db, &probe).cron("nightly", "* * *", &job).unwrap_err();
    assert!(err.to_string().contains("invalid cron schedule"), "{err}");

    let mut runners = Vec::new();
    for _ in 0..2 {
        let builder = runner(&db, &probe).cron("nightly", "0 3 * * *", &job).unwrap();
        runners.push(builder.start().await.unwrap());
    }
    let mut known: Vec<String> = Vec::new();
    for _ in 0..100 {
        known = sqlx::query_scalar(
            "select identifier from graphile_worker._private_known_crontabs order by 1",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        if !known.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(known, vec!["nightly".to_string()]);
    for runner in runners {
        runner.shutdown().await.unwrap();
    }
}

#[tokio::test]
async fn the_application_role_runs_the_queue_without_any_ddl_privilege() {
    let db = test_db().await.app;
    let pool = db.pool();
    let can_create: bool =
        sqlx::query_scalar("select has_schema_privilege('graphile_worker', 'create')")
            .fetch_one(pool)
            .await
            .unwrap();
    assert!(!can_create);
    for sql in [
        "create table graphile_worker.intruder (id int)",
        "delete from graphile_worker.migrations",
        "insert into graphile_worker.migrations (id) values (9999)",
    ] {
        let err = sqlx::query(sql).execute(pool).await.unwrap_err();
        assert!(err.to_string().contains("permission denied"), "{sql}: {err}");
    }
    let applied: i64 = sqlx::query_scalar("select count(*) from graphile_worker.migrations")
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(applied >= 22, "the library's migrations were applied by the owner: {applied}");
}
