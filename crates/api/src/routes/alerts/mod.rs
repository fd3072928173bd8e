//! The alerts capability's routes: ingestion (`/v1/alerts/ingest…`, `/v1/alerts/events`), the
//! queue and triage (`/v1/alerts`), bulk changes, statistics and settings, ingest sources
//! (`/v1/alert-sources`), detection rules (`/v1/detection-rules`) and correlation
//! (`/v1/correlation-rules`, `/v1/correlation-groups`). Handlers call `alerts::Alerts`; its
//! errors become HTTP in `edge::errors::alerts`.

pub mod bulk;
pub mod correlation;
pub mod detection_rules;
pub mod ingest;
pub mod queue;
pub mod settings;
pub mod sources;
pub mod triage;

use edge::AppState;
use utoipa_axum::router::OpenApiRouter;

/// Paths whose bodies may be larger than the default limit, and their limit.
pub fn body_limits() -> Vec<(String, usize)> {
    vec![
        ("/v1/alerts/ingest".to_string(), ::alerts::MAX_INGEST_BYTES),
        ("/v1/alerts/events".to_string(), ::alerts::MAX_INGEST_BYTES),
    ]
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(ingest::routes())
        .merge(queue::routes())
        .merge(triage::routes())
        .merge(bulk::routes())
        .merge(settings::routes())
        .merge(sources::routes())
        .merge(detection_rules::routes())
        .merge(correlation::routes())
}
