//! Benchmark: events committed → delivered to a local webhook receiver. Emits events through the
//! transactional outbox on a throwaway cluster at an offered rate, runs the real relay (job
//! runner, signing, HTTP), and prints events/s committed and delivered and commit→receive
//! latency (p50, p99, max). Arguments: events (20000), offered events/s (5000).
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
    let runner = notify::register_jobs(JobRunner::builder(&app.db.app), &notify)
        .concurrency(16)
        .poll_interval(Duration::from_millis(50))
        .start()
        .await
        .unwrap();

    // Eight concurrent writers, as request handlers and jobs commit events: each transaction
    // emits EVENTS_PER_TX events (as an alert batch or a bulk change does), and the writers
    // together start transactions at the offered rate, so that latency is measured at a steady
    // load and not behind a backlog the writers built up front.
    const WRITERS: usize = 8;
    const EVENTS_PER_TX: usize = 10;
    let transactions = events.div_ceil(EVENTS_PER_TX);
    let every = Duration::from_secs_f64(EVENTS_PER_TX as f64 / rate);
    let started = Instant::now();
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
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "delivery: {} of {events} events delivered; offered {rate:.0} events/s, committed at {:.0} events/s; delivered at {:.0} events/s",
        latencies.len(),
        events as f64 / emitting.as_secs_f64(),
        latencies.len() as f64 / total.as_secs_f64()
    );
    println!(
        "lost: {}  received more than once: {}  (the receiver answered 200 to every request)",
        events - latencies.len(),
        requests - arrivals.len()
    );
    println!(
        "commit -> webhook receiver latency: p50 {:?}  p99 {:?}  max {:?}",
        pct(0.50),
        pct(0.99),
        latencies.last().copied().unwrap_or_default()
    );
    runner.shutdown().await.ok();
}
