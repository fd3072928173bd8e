//! Snapshots: `GET /v1/assets/{id}/snapshots` (an asset's, without documents) and
//! `GET /v1/snapshots/{id}` (one, with its canonical document: hosts → ports → service hint →
//! certificate).

pub mod get_one;
pub mod list;

use crate::guard;
use chrono::{DateTime, Utc};
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use platform::access::Permission;
use serde::Serialize;
use surface::model::{AssetId, ScanId, SnapshotId, SnapshotRecord};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let view = || Access::Permission(Permission::ASSETS_VIEW);
    OpenApiRouter::new().routes(guard(view(), Tier::General, routes!(list::list))).routes(guard(
        view(),
        Tier::General,
        routes!(get_one::get_one),
    ))
}

/// A snapshot as lists show it.
#[derive(Serialize, ToSchema)]
pub struct SnapshotItem {
    pub id: SnapshotId,
    pub asset_id: AssetId,
    pub scan_id: ScanId,
    /// SHA-256 of the canonical JSON: equal hashes, equal surfaces.
    pub sha256: String,
    /// Hosts that answered.
    pub hosts: i32,
    pub open_ports: i32,
    pub created_at: DateTime<Utc>,
}

/// A snapshot with its document.
#[derive(Serialize, ToSchema)]
pub struct SnapshotDetail {
    #[serde(flatten)]
    pub snapshot: SnapshotItem,
    /// `{"scope": {"targets", "ports"}, "hosts": [{"address", "server_name"?, "all_ports_open",
    /// "ports": [{"port", "service", "tls": {"protocol_version", "cipher_suite", "certificate",
    /// "chain", "flags"}}]}]}`.
    #[schema(value_type = Object)]
    pub document: serde_json::Value,
}

impl From<SnapshotRecord> for SnapshotItem {
    fn from(record: SnapshotRecord) -> Self {
        SnapshotItem {
            id: record.id,
            asset_id: record.asset_id,
            scan_id: record.scan_id,
            sha256: record.sha256,
            hosts: record.hosts,
            open_ports: record.open_ports,
            created_at: record.created_at,
        }
    }
}
