//! `GET /v1/events`: the tenant's events, newest first, filtered by type, minimum severity and
//! time.

use super::EventItem;
use crate::auth::Auth;
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiQuery, Page, PageParams};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use notify::service::fields::is_event_type;
use notify::store::events::EventFilter;
use platform::outbox::Severity;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Only events of this type, e.g. `surface.port_opened`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// Only events at least this severe: `info`, `low`, `medium`, `high` or `critical`.
    pub min_severity: Option<String>,
    /// Only events created at or after this RFC 3339 instant.
    pub since: Option<String>,
    /// 1 to 200 (default 50).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn bad(detail: &str) -> ApiError {
    ApiError::new(ErrorCode::INVALID_QUERY, detail)
}

#[utoipa::path(get, path = "/v1/events", tag = "events", params(EventsQuery),
    responses(
        (status = 200, description = "A page of events, newest first", body = Page<EventItem>),
        (status = 400, description = "INVALID_QUERY: a bad filter or cursor", body = crate::error::Problem),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiQuery(query): ApiQuery<EventsQuery>,
) -> Result<Json<Page<EventItem>>, ApiError> {
    let limit = PageParams { limit: query.limit, cursor: None }.limit()?;
    let before = query
        .cursor
        .as_deref()
        .map(uuid::Uuid::parse_str)
        .transpose()
        .map_err(|_| bad("cursor is not a cursor of this list"))?;
    if query.kind.as_deref().is_some_and(|k| !is_event_type(k)) {
        return Err(bad("type is not an event type"));
    }
    let min_severity = query
        .min_severity
        .as_deref()
        .map(|s| Severity::parse(s).ok_or(()))
        .transpose()
        .map_err(|_| bad("min_severity must be info, low, medium, high or critical"))?;
    let since = query
        .since
        .as_deref()
        .map(DateTime::parse_from_rfc3339)
        .transpose()
        .map_err(|_| bad("since must be an RFC 3339 timestamp"))?
        .map(|at| at.with_timezone(&Utc));
    let filter = EventFilter { kind: query.kind, min_severity, since };
    let (rows, next) = state.notify.list_events(&principal, &filter, before, limit).await?;
    Ok(Json(Page {
        items: rows.into_iter().map(EventItem::from).collect(),
        next_cursor: next.map(|id| id.to_string()),
    }))
}
