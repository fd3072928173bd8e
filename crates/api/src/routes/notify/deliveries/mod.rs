//! `/v1/deliveries`: one row per event and channel, with its status (`pending`, `delivering`,
//! `delivered`, `failed`, `dead`), attempts and last error. Listing needs `EVENTS_VIEW`; retrying
//! a dead or failed one needs `CHANNELS_MANAGE`.

pub mod list;
pub mod retry;

use crate::guard;
use chrono::{DateTime, Utc};
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use notify::model::DeliveryRow;
use platform::access::Permission;
use platform::{ChannelId, DeliveryId, EventId};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(guard(
            Access::Permission(Permission::EVENTS_VIEW),
            Tier::General,
            routes!(list::list),
        ))
        .routes(guard(
            Access::Permission(Permission::CHANNELS_MANAGE),
            Tier::General,
            routes!(retry::retry),
        ))
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryItem {
    pub id: DeliveryId,
    pub event_id: EventId,
    pub channel_id: ChannelId,
    /// `pending`, `delivering`, `delivered`, `failed` (a retry is scheduled) or `dead`.
    pub status: String,
    /// Attempts made so far (at most 5).
    pub attempts: i32,
    /// When the next attempt is due (for `pending` and `failed`).
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt failed, e.g. `HTTP 500 from hooks.example.com`.
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<DeliveryRow> for DeliveryItem {
    fn from(row: DeliveryRow) -> Self {
        DeliveryItem {
            id: row.id,
            event_id: row.event_id,
            channel_id: row.channel_id,
            status: row.status,
            attempts: row.attempts,
            next_attempt_at: row.next_attempt_at,
            last_error: row.last_error,
            delivered_at: row.delivered_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}
