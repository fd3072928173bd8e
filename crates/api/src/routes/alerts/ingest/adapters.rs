//! `POST /v1/alerts/ingest/{wazuh,elastic,ocsf,sentinel,splunk}`: each product's own alert
//! payloads, read by its adapter (docs/alerts.md lists the fields each one reads).

use super::{IngestResponse, PushHeaders, PushQuery, Pusher, push};
use alerts::Alerts;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use detect::SourceKind;
use edge::ApiError;
use edge::auth::Context;
use edge::extract::ApiQuery;

#[utoipa::path(post, path = "/v1/alerts/ingest/wazuh", tag = "alert-ingest",
    description = "Wazuh 4.x alerts (`alerts.json` lines, the integrator's JSON) and Wazuh 5.x findings. Authenticate as for `POST /v1/alerts/ingest`.",
    params(PushQuery, PushHeaders),
    request_body(description = "One alert, a JSON array of them, or NDJSON (at most 10,000 alerts and 10 MiB)",
        content(
            (serde_json::Value = "application/json"),
            (String = "application/x-ndjson"),
        )),
    security((), ("api_key" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "Every item accepted (committed) or rejected", body = IngestResponse),
        (status = 400, description = "INVALID_JSON: the body is neither JSON nor NDJSON"),
        (status = 401, description = "UNAUTHENTICATED, INVALID_SIGNATURE or REPLAYED_REQUEST: no valid credential"),
        (status = 403, description = "FORBIDDEN: the credential lacks ALERTS_INGEST"),
        (status = 409, description = "CONFLICT: the source pushes another product's alerts"),
        (status = 413, description = "PAYLOAD_TOO_LARGE or TOO_MANY_ITEMS: over 10 MiB or 10,000 alerts"),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE: send JSON or NDJSON"),
    ))]
pub async fn wazuh(
    State(alerts): State<Alerts>,
    pusher: Pusher,
    Context(context): Context,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<PushQuery>,
    body: Bytes,
) -> Result<Json<IngestResponse>, ApiError> {
    let response =
        push(&alerts, &pusher, &context, &headers, query, SourceKind::Wazuh, &body).await?;
    Ok(Json(response))
}

#[utoipa::path(post, path = "/v1/alerts/ingest/elastic", tag = "alert-ingest",
    description = "Elastic Security alert documents (`kibana.alert.*`; a connector's `context.alerts` batch too). Authenticate as for `POST /v1/alerts/ingest`.",
    params(PushQuery, PushHeaders),
    request_body(description = "One alert, a JSON array of them, or NDJSON (at most 10,000 alerts and 10 MiB)",
        content(
            (serde_json::Value = "application/json"),
            (String = "application/x-ndjson"),
        )),
    security((), ("api_key" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "Every item accepted (committed) or rejected", body = IngestResponse),
        (status = 400, description = "INVALID_JSON: the body is neither JSON nor NDJSON"),
        (status = 401, description = "UNAUTHENTICATED, INVALID_SIGNATURE or REPLAYED_REQUEST: no valid credential"),
        (status = 403, description = "FORBIDDEN: the credential lacks ALERTS_INGEST"),
        (status = 409, description = "CONFLICT: the source pushes another product's alerts"),
        (status = 413, description = "PAYLOAD_TOO_LARGE or TOO_MANY_ITEMS: over 10 MiB or 10,000 alerts"),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE: send JSON or NDJSON"),
    ))]
pub async fn elastic(
    State(alerts): State<Alerts>,
    pusher: Pusher,
    Context(context): Context,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<PushQuery>,
    body: Bytes,
) -> Result<Json<IngestResponse>, ApiError> {
    let response =
        push(&alerts, &pusher, &context, &headers, query, SourceKind::Elastic, &body).await?;
    Ok(Json(response))
}

#[utoipa::path(post, path = "/v1/alerts/ingest/ocsf", tag = "alert-ingest",
    description = "OCSF 1.8 Detection Findings (class 2004), taken as they are. Authenticate as for `POST /v1/alerts/ingest`.",
    params(PushQuery, PushHeaders),
    request_body(description = "One alert, a JSON array of them, or NDJSON (at most 10,000 alerts and 10 MiB)",
        content(
            (serde_json::Value = "application/json"),
            (String = "application/x-ndjson"),
        )),
    security((), ("api_key" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "Every item accepted (committed) or rejected", body = IngestResponse),
        (status = 400, description = "INVALID_JSON: the body is neither JSON nor NDJSON"),
        (status = 401, description = "UNAUTHENTICATED, INVALID_SIGNATURE or REPLAYED_REQUEST: no valid credential"),
        (status = 403, description = "FORBIDDEN: the credential lacks ALERTS_INGEST"),
        (status = 409, description = "CONFLICT: the source pushes another product's alerts"),
        (status = 413, description = "PAYLOAD_TOO_LARGE or TOO_MANY_ITEMS: over 10 MiB or 10,000 alerts"),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE: send JSON or NDJSON"),
    ))]
pub async fn ocsf(
    State(alerts): State<Alerts>,
    pusher: Pusher,
    Context(context): Context,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<PushQuery>,
    body: Bytes,
) -> Result<Json<IngestResponse>, ApiError> {
    let response =
        push(&alerts, &pusher, &context, &headers, query, SourceKind::Ocsf, &body).await?;
    Ok(Json(response))
}

#[utoipa::path(post, path = "/v1/alerts/ingest/sentinel", tag = "alert-ingest",
    description = "Microsoft Sentinel `SecurityAlert` records (a Logic App's JSON; a Log Analytics export's `value` batch too). Authenticate as for `POST /v1/alerts/ingest`.",
    params(PushQuery, PushHeaders),
    request_body(description = "One alert, a JSON array of them, or NDJSON (at most 10,000 alerts and 10 MiB)",
        content(
            (serde_json::Value = "application/json"),
            (String = "application/x-ndjson"),
        )),
    security((), ("api_key" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "Every item accepted (committed) or rejected", body = IngestResponse),
        (status = 400, description = "INVALID_JSON: the body is neither JSON nor NDJSON"),
        (status = 401, description = "UNAUTHENTICATED, INVALID_SIGNATURE or REPLAYED_REQUEST: no valid credential"),
        (status = 403, description = "FORBIDDEN: the credential lacks ALERTS_INGEST"),
        (status = 409, description = "CONFLICT: the source pushes another product's alerts"),
        (status = 413, description = "PAYLOAD_TOO_LARGE or TOO_MANY_ITEMS: over 10 MiB or 10,000 alerts"),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE: send JSON or NDJSON"),
    ))]
pub async fn sentinel(
    State(alerts): State<Alerts>,
    pusher: Pusher,
    Context(context): Context,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<PushQuery>,
    body: Bytes,
) -> Result<Json<IngestResponse>, ApiError> {
    let response =
        push(&alerts, &pusher, &context, &headers, query, SourceKind::Sentinel, &body).await?;
    Ok(Json(response))
}

#[utoipa::path(post, path = "/v1/alerts/ingest/splunk", tag = "alert-ingest",
    description = "Splunk alert-action webhook payloads (`sid`, `search_name`, `result`; Enterprise Security notables). Authenticate as for `POST /v1/alerts/ingest`.",
    params(PushQuery, PushHeaders),
    request_body(description = "One alert, a JSON array of them, or NDJSON (at most 10,000 alerts and 10 MiB)",
        content(
            (serde_json::Value = "application/json"),
            (String = "application/x-ndjson"),
        )),
    security((), ("api_key" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "Every item accepted (committed) or rejected", body = IngestResponse),
        (status = 400, description = "INVALID_JSON: the body is neither JSON nor NDJSON"),
        (status = 401, description = "UNAUTHENTICATED, INVALID_SIGNATURE or REPLAYED_REQUEST: no valid credential"),
        (status = 403, description = "FORBIDDEN: the credential lacks ALERTS_INGEST"),
        (status = 409, description = "CONFLICT: the source pushes another product's alerts"),
        (status = 413, description = "PAYLOAD_TOO_LARGE or TOO_MANY_ITEMS: over 10 MiB or 10,000 alerts"),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE: send JSON or NDJSON"),
    ))]
pub async fn splunk(
    State(alerts): State<Alerts>,
    pusher: Pusher,
    Context(context): Context,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<PushQuery>,
    body: Bytes,
) -> Result<Json<IngestResponse>, ApiError> {
    let response =
        push(&alerts, &pusher, &context, &headers, query, SourceKind::Splunk, &body).await?;
    Ok(Json(response))
}
