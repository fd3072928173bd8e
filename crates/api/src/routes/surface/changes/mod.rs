//! Change events: `GET /v1/changes` (filtered by asset, type, severity, acknowledgement and
//! time), `GET /v1/changes/{id}` and `POST /v1/changes/{id}/ack` (`CHANGES_ACK`).

pub mod ack;
pub mod get_one;
pub mod list;

use crate::guard;
use chrono::{DateTime, Utc};
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use platform::access::Permission;
use platform::{EventId, UserId};
use serde::Serialize;
use surface::model::{AssetId, Change, ChangeId, ScanId, SnapshotId};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let view = || Access::Permission(Permission::ASSETS_VIEW);
    OpenApiRouter::new()
        .routes(guard(view(), Tier::General, routes!(list::list)))
        .routes(guard(view(), Tier::General, routes!(get_one::get_one)))
        .routes(guard(
            Access::Permission(Permission::CHANGES_ACK),
            Tier::General,
            routes!(ack::ack),
        ))
}

/// One change between a snapshot and its asset's baseline.
#[derive(Serialize, ToSchema)]
pub struct ChangeItem {
    pub id: ChangeId,
    pub asset_id: AssetId,
    pub scan_id: ScanId,
    pub snapshot_id: SnapshotId,
    /// `HOST_NEW`, `HOST_GONE`, `PORT_OPENED`, `PORT_CLOSED`, `SERVICE_CHANGED`,
    /// `CERT_ROTATED`, `CERT_EXPIRING`, `CERT_EXPIRED` or `CERT_INVALID`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `info`, `low`, `medium`, `high` or `critical` (see the rule table in docs/surface.md).
    pub severity: String,
    pub address: String,
    /// The domain, for a domain asset.
    pub server_name: Option<String>,
    pub port: Option<i32>,
    /// The value before the change: `{"type": "host"|"port"|"service"|"certificate"|"flags",
    /// "value": …}`.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The value after the change (`expiry` for `CERT_EXPIRING`).
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    /// The event that announced it (`GET /v1/events`, the live feed, deliveries).
    pub event_id: EventId,
    pub acked_at: Option<DateTime<Utc>>,
    pub acked_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

impl From<Change> for ChangeItem {
    fn from(change: Change) -> Self {
        ChangeItem {
            id: change.id,
            asset_id: change.asset_id,
            scan_id: change.scan_id,
            snapshot_id: change.snapshot_id,
            kind: change.kind,
            severity: change.severity,
            address: change.address,
            server_name: change.server_name,
            port: change.port,
            before: change.before,
            after: change.after,
            event_id: change.event_id,
            acked_at: change.acked_at,
            acked_by: change.acked_by,
            created_at: change.created_at,
        }
    }
}
