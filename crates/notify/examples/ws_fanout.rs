//! Benchmark: live-feed fan-out. Opens many WebSocket clients on a running `palisade serve`
//! (spread over tenants; a global administrator's token names each socket's tenant), commits
//! events through the real outbox (`platform::outbox::emit`) at a fixed rate, and prints how many
//! arrived and the event→client latency (p50, p99, max) measured from just before the event's
//! insert to its arrival at a client (same clock: producer and clients share this process).
//!
//! Run with `bench/run ws-fanout`, which starts the server and passes BENCH_API,
//! BENCH_DATABASE_URL, BENCH_ADMIN_EMAIL and BENCH_ADMIN_PASSWORD; BENCH_CLIENTS (10000),
//! BENCH_TENANTS (100), BENCH_RATE (events/s, 1000) and BENCH_SECONDS (10) shape the load.
//! Built only with `--features bench`; not a test: it asserts nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures_util::{SinkExt, StreamExt};
use platform::outbox::{Event, Severity, emit};
use platform::{Db, TenantId};
use serde_json::{Value, json};
use sqlx::postgres::PgPoolOptions;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Handshakes in flight at once.
const OPENING: usize = 256;
const WRITERS: u64 = 8;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn required(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} must be set (run bench/run ws-fanout)"))
}

/// Arrival latencies in buckets of `BUCKET_US`, up to `BUCKETS` of them (the last one holds all
/// later arrivals), and counters, shared by every client without a lock.
const BUCKET_US: u128 = 20;
const BUCKETS: usize = 1_000_000;

struct Stats {
    histogram: Vec<AtomicU32>,
    received: AtomicUsize,
    ready: AtomicUsize,
    failed: AtomicUsize,
    closed_by_server: AtomicUsize,
}

impl Stats {
    fn new() -> Stats {
        Stats {
            histogram: (0..BUCKETS).map(|_| AtomicU32::new(0)).collect(),
            received: AtomicUsize::new(0),
            ready: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
            closed_by_server: AtomicUsize::new(0),
        }
    }

    fn record(&self, latency_us: u128) {
        let bucket = usize::try_from(latency_us / BUCKET_US).unwrap_or(BUCKETS).min(BUCKETS - 1);
        self.histogram[bucket].fetch_add(1, Ordering::Relaxed);
        self.received.fetch_add(1, Ordering::Relaxed);
    }

    /// The latency (ms) below which `q` of the arrivals fell.
    fn quantile_ms(&self, q: f64) -> f64 {
        let total = self.received.load(Ordering::Relaxed);
        let wanted = ((total as f64 * q).ceil() as usize).max(1);
        let mut seen = 0;
        for (bucket, count) in self.histogram.iter().enumerate() {
            seen += count.load(Ordering::Relaxed) as usize;
            if seen >= wanted {
                return ((bucket as u128 + 1) * BUCKET_US) as f64 / 1000.0;
            }
        }
        f64::NAN
    }
}

#[tokio::main]
async fn main() {
    let api = required("BENCH_API");
    let clients = setting("BENCH_CLIENTS", 10_000) as usize;
    let tenant_count = setting("BENCH_TENANTS", 100).clamp(1, clients as u64) as usize;
    let rate = setting("BENCH_RATE", 1_000).max(1);
    let seconds = setting("BENCH_SECONDS", 10).max(1);

    let http = reqwest::Client::new();
    let login: Value = http
        .post(format!("{api}/v1/auth/login"))
        .json(&json!({"email": required("BENCH_ADMIN_EMAIL"), "password": required("BENCH_ADMIN_PASSWORD")}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().expect("login answered a token").to_string();
    let mut tenants = Vec::with_capacity(tenant_count);
    for n in 0..tenant_count {
        let slug = format!("ws-bench-{n}-{}", std::process::id());
        let created: Value = http
            .post(format!("{api}/v1/tenants"))
            .bearer_auth(&token)
            .json(&json!({"name": slug, "slug": slug}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        tenants.push(TenantId::parse(created["id"].as_str().expect("tenant created")).unwrap());
    }

    let base = Instant::now();
    let stats = Arc::new(Stats::new());
    let opening = Arc::new(Semaphore::new(OPENING));
    let url = format!("{}/v1/ws", api.replacen("http", "ws", 1));
    for n in 0..clients {
        let tenant = tenants[n % tenants.len()];
        let auth = json!({"type": "auth", "token": token, "tenant_id": tenant}).to_string();
        tokio::spawn(client(url.clone(), auth, base, stats.clone(), opening.clone()));
    }
    let started = Instant::now();
    let settled = || stats.ready.load(Ordering::Relaxed) + stats.failed.load(Ordering::Relaxed);
    while settled() < clients && started.elapsed() < Duration::from_secs(300) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let opened = stats.ready.load(Ordering::Relaxed);
    println!(
        "ws-fanout: {opened} of {clients} sockets open in {:.1} s ({} tenants, ~{} sockets per tenant)",
        started.elapsed().as_secs_f64(),
        tenants.len(),
        clients / tenants.len()
    );

    // The producer runs on a runtime of its own, so that its commits do not queue behind the
    // clients' tasks (that would count client load as feed latency).
    let database_url = required("BENCH_DATABASE_URL");
    let rooms = tenants.len();
    let producer = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(produce(database_url, tenants.clone(), rate, seconds, base))
    });
    let (emitted, produced_in) =
        tokio::task::spawn_blocking(move || producer.join().unwrap()).await.unwrap();
    // Stragglers.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let received = stats.received.load(Ordering::Relaxed);
    let dropped = stats.closed_by_server.load(Ordering::Relaxed);
    let expected = emitted * (opened / rooms);
    println!(
        "events: {emitted} committed in {:.1} s ({:.0}/s, target {rate}/s), each for ~{} sockets",
        produced_in.as_secs_f64(),
        emitted as f64 / produced_in.as_secs_f64(),
        opened / rooms
    );
    println!(
        "deliveries: {received} received of ~{expected} ({:.1}%, {:.0}/s); sockets closed by the server: {dropped}",
        100.0 * received as f64 / expected.max(1) as f64,
        received as f64 / produced_in.as_secs_f64()
    );
    println!(
        "latency event->client: p50 {:.1} ms  p99 {:.1} ms  p99.9 {:.1} ms  max {:.1} ms  (target p99 < 100 ms)",
        stats.quantile_ms(0.50),
        stats.quantile_ms(0.99),
        stats.quantile_ms(0.999),
        stats.quantile_ms(1.0)
    );
    // The sockets are not closed one by one: the process ends with them.
    std::process::exit(0);
}

/// Commits `rate` events per second for `seconds` through the outbox, round-robin over `tenants`,
/// each titled `bench <microseconds since base>`; answers how many and how long it took.
async fn produce(
    database_url: String,
    tenants: Vec<TenantId>,
    rate: u64,
    seconds: u64,
    base: Instant,
) -> (usize, Duration) {
    let pool = PgPoolOptions::new()
        .max_connections(WRITERS as u32 * 2)
        .connect(&database_url)
        .await
        .unwrap();
    let db = Db::new(pool);
    let emitted = Arc::new(AtomicUsize::new(0));
    let producing = Instant::now();
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let (db, tenants, emitted) = (db.clone(), tenants.clone(), emitted.clone());
        writers.push(tokio::spawn(async move {
            let total = rate * seconds / WRITERS;
            let mut tick =
                tokio::time::interval(Duration::from_secs_f64(WRITERS as f64 / rate as f64));
            for n in 0..total {
                tick.tick().await;
                let tenant = tenants[((n * WRITERS + writer) as usize) % tenants.len()];
                let title = format!("bench {}", base.elapsed().as_micros());
                let event = Event {
                    kind: "bench.tick",
                    severity: Severity::Info,
                    subject: &title,
                    payload: json!({}),
                };
                let mut tx = db.tenant_tx(tenant).await.unwrap();
                emit(&mut tx, &event).await.unwrap();
                tx.commit().await.unwrap();
                emitted.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for writer in writers {
        writer.await.unwrap();
    }
    (emitted.load(Ordering::Relaxed), producing.elapsed())
}

/// One socket: opens, authenticates by first message, then records the latency of each event.
async fn client(
    url: String,
    auth: String,
    base: Instant,
    stats: Arc<Stats>,
    opening: Arc<Semaphore>,
) {
    let permit = opening.acquire_owned().await.unwrap();
    let Some(mut socket) = open(url, auth).await else {
        stats.failed.fetch_add(1, Ordering::Relaxed);
        return;
    };
    drop(permit);
    stats.ready.fetch_add(1, Ordering::Relaxed);
    while let Some(message) = socket.next().await {
        match message {
            Ok(Message::Text(text)) => {
                let now = base.elapsed().as_micros();
                if let Some(sent) = stamp(text.as_str()) {
                    stats.record(now.saturating_sub(sent));
                }
            }
            Ok(Message::Close(_)) => {
                stats.closed_by_server.fetch_add(1, Ordering::Relaxed);
                return;
            }
            Ok(_) => {}
            Err(_) => return,
        }
    }
}

/// A socket past its `ready` message, or `None` when it could not get there.
async fn open(url: String, auth: String) -> Option<Socket> {
    let config = WebSocketConfig::default().read_buffer_size(8 * 1024);
    let (mut socket, _) =
        tokio_tungstenite::connect_async_with_config(url, Some(config), false).await.ok()?;
    socket.send(Message::text(auth)).await.ok()?;
    match socket.next().await {
        Some(Ok(Message::Text(text))) if text.as_str().contains("\"ready\"") => Some(socket),
        _ => None,
    }
}

/// The microseconds stamped into the event's summary (`bench <micros>`).
fn stamp(text: &str) -> Option<u128> {
    let start = text.find("\"summary\":\"bench ")? + "\"summary\":\"bench ".len();
    let digits = &text[start..];
    digits[..digits.find('"')?].parse().ok()
}
