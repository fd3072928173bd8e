//! Diffscan's metrics, registered into the edge's Prometheus registry: scans finished by
//! decision and source, the engine's time per scan, the time from request to decision, and the
//! number of diffscan jobs waiting in the queue (sampled from the job tables, so every process
//! that serves `/metrics` reports the whole installation's queue).
//!
//! Counters and histograms count what this process did: with `palisade worker` processes, scans
//! are counted where they run.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use sqlx::PgPool;
use std::time::Duration;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ScanLabels {
    /// `pass`, `fail` or `error`.
    pub decision: String,
    /// `api` or `github`.
    pub source: String,
    /// `true` when the decision rests on a partial scan (fail-open).
    pub degraded: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SourceLabels {
    source: String,
}

/// The engine's time per scan: from a millisecond to a minute.
const DURATION_BUCKETS: [f64; 12] =
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0, 60.0];
/// From the request to the decision: queueing, fetching and scanning.
const LATENCY_BUCKETS: [f64; 12] =
    [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0];

#[derive(Debug)]
pub struct DiffscanMetrics {
    scans: Family<ScanLabels, Counter>,
    duration: Histogram,
    latency: Family<SourceLabels, Histogram>,
    queue_depth: Gauge,
}

impl Default for DiffscanMetrics {
    fn default() -> Self {
        DiffscanMetrics {
            scans: Family::default(),
            duration: Histogram::new(DURATION_BUCKETS),
            latency: Family::new_with_constructor(|| Histogram::new(LATENCY_BUCKETS)),
            queue_depth: Gauge::default(),
        }
    }
}

/// The jobs the queue-depth gauge counts.
pub const QUEUED_JOBS: [&str; 3] =
    [crate::jobs::RUN_SCAN, crate::jobs::GITHUB_DELIVERY, crate::jobs::GITHUB_REPORT];

impl DiffscanMetrics {
    /// Adds these metrics to `registry` (prefixed `palisade_` by the edge's registry).
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "diffscan_scans",
            "Diffscan scans finished, by decision",
            self.scans.clone(),
        );
        registry.register(
            "diffscan_scan_duration_seconds",
            "Time the engine took to scan one diff",
            self.duration.clone(),
        );
        registry.register(
            "diffscan_scan_latency_seconds",
            "Time from a scan's request to its decision",
            self.latency.clone(),
        );
        registry.register(
            "diffscan_queue_depth",
            "Diffscan jobs waiting to run (scans, webhook deliveries, check-run reports)",
            self.queue_depth.clone(),
        );
    }

    pub fn scan_finished(&self, labels: ScanLabels, engine: Duration, since_request: Duration) {
        let source = SourceLabels { source: labels.source.clone() };
        self.scans.get_or_create(&labels).inc();
        self.duration.observe(engine.as_secs_f64());
        self.latency.get_or_create(&source).observe(since_request.as_secs_f64());
    }

    /// Reads the number of waiting diffscan jobs into the gauge.
    pub async fn sample_queue_depth(&self, pool: &PgPool) -> Result<i64, sqlx::Error> {
        let depth: i64 = sqlx::query_scalar(
            "select count(*) from graphile_worker._private_jobs jobs
               join graphile_worker._private_tasks tasks on tasks.id = jobs.task_id
              where tasks.identifier = any($1) and jobs.attempts < jobs.max_attempts",
        )
        .bind(QUEUED_JOBS.as_slice())
        .fetch_one(pool)
        .await?;
        self.queue_depth.set(depth);
        Ok(depth)
    }

    /// Samples the queue depth every `every` until the process ends (serving processes).
    pub async fn sample_forever(self: std::sync::Arc<Self>, pool: PgPool, every: Duration) {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            if let Err(error) = self.sample_queue_depth(&pool).await {
                tracing::debug!(%error, "sampling the diffscan queue depth failed");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finished_scans_are_counted_by_decision_and_rendered_with_the_registry() {
        let metrics = DiffscanMetrics::default();
        let mut registry = Registry::with_prefix("palisade");
        metrics.register(&mut registry);
        let labels = |decision: &str| ScanLabels {
            decision: decision.into(),
            source: "api".into(),
            degraded: "false".into(),
        };
        metrics.scan_finished(labels("fail"), Duration::from_millis(3), Duration::from_millis(80));
        metrics.scan_finished(labels("fail"), Duration::from_millis(2), Duration::from_millis(60));
        metrics.scan_finished(labels("pass"), Duration::from_millis(1), Duration::from_millis(40));
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &registry).unwrap();
        assert!(
            text.contains(
                "palisade_diffscan_scans_total{decision=\"fail\",source=\"api\",degraded=\"false\"} 2"
            ),
            "{text}"
        );
        assert!(text.contains("palisade_diffscan_scan_duration_seconds_count 3"), "{text}");
        assert!(text.contains("palisade_diffscan_queue_depth 0"), "{text}");
    }
}
