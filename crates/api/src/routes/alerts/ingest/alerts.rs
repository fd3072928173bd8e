//! `POST /v1/alerts/ingest`: alerts in Palisade's own format (docs/alerts.md), one object, an
//! array or NDJSON.

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

#[utoipa::path(post, path = "/v1/alerts/ingest", tag = "alert-ingest",
    description = "Authenticate with an API key (`ALERTS_INGEST`) or as a configured source (`X-Palisade-Source` with `X-Palisade-Token`, Standard Webhooks headers, or `X-Signature-256` with `X-Signature-Timestamp`).",
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
pub async fn ingest(
    State(alerts): State<Alerts>,
    pusher: Pusher,
    Context(context): Context,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<PushQuery>,
    body: Bytes,
) -> Result<Json<IngestResponse>, ApiError> {
    let response =
        push(&alerts, &pusher, &context, &headers, query, SourceKind::Palisade, &body).await?;
    Ok(Json(response))
}
