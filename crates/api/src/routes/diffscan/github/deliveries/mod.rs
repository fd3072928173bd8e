//! `/v1/diffscan/github/deliveries`: the webhook deliveries received (verified ones only), with
//! what became of each; replaying one processes its stored raw body again.

pub mod get_one;
pub mod list;
pub mod replay;

use crate::guard;
use chrono::{DateTime, Utc};
use diffscan::model::{DeliveryRecord, InstallationId, ScanId, WebhookDeliveryId};
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use platform::access::Permission;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let view = || Access::Permission(Permission::DIFFSCAN_VIEW);
    OpenApiRouter::new()
        .routes(guard(view(), Tier::General, routes!(list::list)))
        .routes(guard(view(), Tier::General, routes!(get_one::get_one)))
        .routes(guard(
            Access::Permission(Permission::DIFFSCAN_RUN),
            Tier::General,
            routes!(replay::replay),
        ))
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryItem {
    pub id: WebhookDeliveryId,
    pub installation_id: InstallationId,
    /// `X-GitHub-Delivery`.
    pub guid: String,
    /// `X-GitHub-Event`.
    pub event: String,
    pub action: Option<String>,
    /// The GitHub headers as received.
    #[schema(value_type = Object)]
    pub headers: serde_json::Value,
    /// Size of the stored raw body; null once retention removed it.
    pub body_bytes: Option<i32>,
    /// `queued`, `processed` (a scan was created), `ignored` or `failed`.
    pub status: String,
    /// Why it was ignored or failed.
    pub detail: Option<String>,
    pub scan_id: Option<ScanId>,
    pub received_at: DateTime<Utc>,
    pub processed_at: Option<DateTime<Utc>>,
}

impl From<DeliveryRecord> for DeliveryItem {
    fn from(delivery: DeliveryRecord) -> Self {
        DeliveryItem {
            id: delivery.id,
            installation_id: delivery.installation_id,
            guid: delivery.delivery_guid,
            event: delivery.event,
            action: delivery.action,
            headers: delivery.headers,
            body_bytes: delivery.body_bytes,
            status: delivery.status,
            detail: delivery.detail,
            scan_id: delivery.scan_id,
            received_at: delivery.received_at,
            processed_at: delivery.processed_at,
        }
    }
}
