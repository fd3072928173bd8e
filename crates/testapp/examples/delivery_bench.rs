//! Benchmark: events committed → delivered to a local webhook receiver. Emits events through the
//! transactional outbox on a throwaway cluster at an offered rate, runs the real relay (job
//! runner, signing, HTTP), and prints events/s committed and delivered and commit→receive
//! latency (p50, p99, max), and how much of the machine the run used (cores, and µs of CPU per
//! event, everything on the machine included). Arguments: events (20000), offered events/s
//! (5000). With `BENCH_BACKLOG=1` the writers run first with the relay stopped, then the relay
//! drains the backlog alone: each side's rate and cost on its own.
//!
//! Run with `bench/run delivery` (release build). Not a test: it asserts nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::post;
use notify::service::input::ChannelInput;
use platform::access::Principal;
use platform::audit::RequestContext;
use platform::jobs::JobRunner;
use platform::outbox::{Event, Severity, emit};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// When each event first arrived, and how many requests arrived in all (repeats included).
type Arrivals = Arc<Mutex<(HashMap<String, Instant>, usize)>>;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let events: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let rate: f64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(5_000.0);
    let backlog = std::env::var("BENCH_BACKLOG").is_ok_and(|v| v == "1");
    // Info to stderr, as `palisade serve` logs; without it the test harness's subscriber would
    // keep every debug line as JSON in memory, which is not what a server pays.
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(std::io::stderr)
        .init();
    let app = testapp::TestApp::spawn().await;
    let notify = app.services.notify.clone();
    let tenant = app.tenant("bench").await;

    let arrivals: Arrivals = Arc::default();
    let recorded = arrivals.clone();
    let receiver = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap| {
            let recorded = recorded.clone();
            async move {
                let id = headers["webhook-id"].to_str().unwrap().to_string();
                let mut recorded = recorded.lock().unwrap();
                recorded.0.entry(id).or_insert_with(Instant::now);
                recorded.1 += 1;
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await.unwrap() });

    let input = ChannelInput {
        name: Some("bench".into()),
        kind: Some("webhook".into()),
        url: Some(url),
        ..ChannelInput::default()
    };
    notify
        .create_channel(&RequestContext::default(), &Principal::system(tenant), &input)
        .await
        .unwrap();
    let (pool, service) = (&app.db.app, &notify);
    let start_relay = move || async move {
        notify::register_jobs(JobRunner::builder(pool), service)
            .concurrency(16)
            .poll_interval(Duration::from_millis(50))
            .start()
            .await
            .unwrap()
    };
    let mut runner = if backlog { None } else { Some(start_relay().await) };

    // Eight concurrent writers, as request handlers and jobs commit events: each transaction
    // emits EVENTS_PER_TX events (as an alert batch or a bulk change does), and the writers
    // together start transactions at the offered rate, so that latency is measured at a steady
    // load and not behind a backlog the writers built up front.
    const WRITERS: usize = 8;
    const EVENTS_PER_TX: usize = 10;
    let transactions = events.div_ceil(EVENTS_PER_TX);
    let every = Duration::from_secs_f64(EVENTS_PER_TX as f64 / rate);
    let started = Instant::now();
    let busy_at_start = Busy::now();
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let db = app.db.app.clone();
            tokio::spawn(async move {
                let mut committed = Vec::new();
                for t in (writer..transactions).step_by(WRITERS) {
                    tokio::time::sleep_until((started + every * t as u32).into()).await;
                    let mut tx = db.tenant_tx(tenant).await.unwrap();
                    let mut ids = Vec::with_capacity(EVENTS_PER_TX);
                    for n in t * EVENTS_PER_TX..((t + 1) * EVENTS_PER_TX).min(events) {
                        let event = Event {
                            kind: "bench.tick",
                            severity: Severity::Info,
                            subject: "bench event",
                            payload: serde_json::json!({ "n": n }),
                        };
                        ids.push(emit(&mut tx, &event).await.unwrap().event_id.to_string());
                    }
                    tx.commit().await.unwrap();
                    let at = Instant::now();
                    committed.extend(ids.into_iter().map(|id| (id, at)));
                }
                committed
            })
        })
        .collect();
    let mut committed = HashMap::with_capacity(events);
    for writer in writers {
        committed.extend(writer.await.unwrap());
    }
    let emitting = started.elapsed();
    let draining = Instant::now();
    let busy_at_drain = Busy::now();
    if backlog {
        let cost = busy_at_drain.since(&busy_at_start, emitting);
        println!(
            "writers alone: {events} events committed at {:.0} events/s; {}",
            events as f64 / emitting.as_secs_f64(),
            cost.per(events)
        );
        runner = Some(start_relay().await);
    }

    let deadline = Instant::now() + Duration::from_secs(120);
    while arrivals.lock().unwrap().0.len() < events && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Late repeats would show up now.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (arrivals, requests) = arrivals.lock().unwrap().clone();
    let mut latencies: Vec<Duration> = committed
        .iter()
        .filter_map(|(id, at)| {
            arrivals.get(id).map(|arrived| arrived.saturating_duration_since(*at))
        })
        .collect();
    latencies.sort();
    let last = arrivals.values().max().copied().unwrap_or(started);
    let total = last.duration_since(started);
    let cost = Busy::now().since(&busy_at_start, total);
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "delivery: {} of {events} events delivered; offered {rate:.0} events/s, committed at {:.0} events/s; delivered at {:.0} events/s",
        latencies.len(),
        events as f64 / emitting.as_secs_f64(),
        latencies.len() as f64 / total.as_secs_f64()
    );
    if backlog {
        let drained = last.saturating_duration_since(draining);
        let cost = Busy::now().since(&busy_at_drain, drained);
        println!(
            "relay alone: the backlog drained at {:.0} events/s; {}",
            latencies.len() as f64 / drained.as_secs_f64(),
            cost.per(latencies.len())
        );
    }
    println!(
        "lost: {}  received more than once: {}  (the receiver answered 200 to every request)",
        events - latencies.len(),
        requests - arrivals.len()
    );
    println!(
        "commit -> webhook receiver latency: p50 {:?}  p99 {:?}  max {:?}{}",
        pct(0.50),
        pct(0.99),
        latencies.last().copied().unwrap_or_default(),
        if backlog { "  (behind the backlog: not a latency figure)" } else { "" }
    );
    println!("machine, whole run: {}", cost.per(latencies.len()));
    if let Some(runner) = runner {
        runner.shutdown().await.ok();
    }
}

/// The machine's busy CPU time so far (user, nice, system, irq, softirq of every core), from
/// `/proc/stat`: the benchmark, PostgreSQL and everything else together.
struct Busy(Duration);

/// CPU used over a stretch of wall time.
struct Cost {
    busy: Duration,
    wall: Duration,
}

impl Busy {
    fn now() -> Busy {
        let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
        let ticks: u64 = stat
            .lines()
            .find(|line| line.starts_with("cpu "))
            .map(|line| {
                let fields: Vec<u64> =
                    line.split_whitespace().skip(1).filter_map(|f| f.parse().ok()).collect();
                [0, 1, 2, 5, 6].iter().filter_map(|i| fields.get(*i)).sum()
            })
            .unwrap_or(0);
        // USER_HZ is 100 on every Linux this runs on.
        Busy(Duration::from_millis(ticks * 10))
    }

    fn since(&self, earlier: &Busy, wall: Duration) -> Cost {
        Cost { busy: self.0.saturating_sub(earlier.0), wall }
    }
}

impl Cost {
    fn per(&self, events: usize) -> String {
        let cores = self.busy.as_secs_f64() / self.wall.as_secs_f64().max(1e-9);
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let micros = self.busy.as_secs_f64() * 1e6 / events.max(1) as f64;
        format!("{cores:.2} of {cpus} cores busy, {micros:.0} µs of CPU per event")
    }
}
