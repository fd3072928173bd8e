//! `/v1/events`: the tenant's events (what happened, as the outbox recorded it), newest first,
//! with `EVENTS_VIEW`. Read-only: events are facts.

pub mod list;

use crate::guard;
use chrono::{DateTime, Utc};
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use notify::model::EventRow;
use platform::EventId;
use platform::access::Permission;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(guard(
        Access::Permission(Permission::EVENTS_VIEW),
        Tier::General,
        routes!(list::list),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct EventItem {
    pub id: EventId,
    /// `<capability>.<what happened>`, e.g. `surface.port_opened`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `info`, `low`, `medium`, `high` or `critical`.
    pub severity: String,
    pub title: String,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl From<EventRow> for EventItem {
    fn from(row: EventRow) -> Self {
        EventItem {
            id: row.id,
            kind: row.kind,
            severity: row.severity,
            title: row.title,
            payload: row.payload,
            created_at: row.created_at,
        }
    }
}
