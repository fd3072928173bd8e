//! `GET /v1/events`: the tenant's events, newest first, filtered by type, minimum severity and
//! time.

use super::EventItem;
use axum::Json;
use axum::extract::State;
use edge::auth::Auth;
use edge::extract::{Listing, PageParams};
use edge::{ApiError, ErrorCode};
use notify::Notify;
use notify::model::EventFilter;
use notify::service::fields::is_event_type;
use platform::outbox::Severity;
use platform::{Page, Timestamp};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    /// Only events of this type, e.g. `surface.port_opened`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// Only events at least this severe: `info`, `low`, `medium`, `high` or `critical`.
    pub min_severity: Option<String>,
    /// Only events created at or after this RFC 3339 instant.
    pub since: Option<Timestamp>,
}

fn bad(detail: &str) -> ApiError {
    ApiError::new(ErrorCode::INVALID_QUERY, detail)
}

#[utoipa::path(get, path = "/v1/events", tag = "events", params(PageParams, EventsQuery),
    responses((status = 200, description = "A page of events, newest first", body = Page<EventItem>)))]
pub async fn list(
    State(notify): State<Notify>,
    Auth(principal): Auth,
    Listing(page, query): Listing<EventsQuery>,
) -> Result<Json<Page<EventItem>>, ApiError> {
    if query.kind.as_deref().is_some_and(|k| !is_event_type(k)) {
        return Err(bad("type is not an event type"));
    }
    let min_severity = query
        .min_severity
        .as_deref()
        .map(|s| Severity::parse(s).ok_or(()))
        .transpose()
        .map_err(|_| bad("min_severity must be info, low, medium, high or critical"))?;
    let filter = EventFilter { kind: query.kind, min_severity, since: query.since };
    let events = notify.list_events(&principal, &filter, &page).await?;
    Ok(Json(events.map(EventItem::from)))
}
