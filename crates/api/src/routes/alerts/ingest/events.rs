//! `POST /v1/alerts/events`: raw events (Windows event-log records as `evtx` writes them, ECS
//! documents, flat field maps) for the tenant's detection rules. Matches raise alerts; the events
//! themselves are not stored. API keys and tokens only (`ALERTS_INGEST`).

use super::IngestResponse;
use alerts::Alerts;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use edge::ApiError;
use edge::auth::{Auth, Context};

#[utoipa::path(post, path = "/v1/alerts/events", tag = "alert-ingest",
    request_body(description = "One event, a JSON array of them, or NDJSON (at most 10,000 events and 10 MiB)",
        content(
            (serde_json::Value = "application/json"),
            (String = "application/x-ndjson"),
        )),
    responses(
        (status = 200, description = "The alerts the rules raised, and the events that could not be read", body = IngestResponse),
        (status = 400, description = "INVALID_JSON: the body is neither JSON nor NDJSON"),
        (status = 413, description = "PAYLOAD_TOO_LARGE or TOO_MANY_ITEMS: over 10 MiB or 10,000 events"),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE: send JSON or NDJSON"),
    ))]
pub async fn events(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<IngestResponse>, ApiError> {
    let ndjson = super::ndjson(&headers)?;
    let report = alerts.ingest_events(&context, &principal, &body, ndjson).await?;
    Ok(Json(report.into()))
}
