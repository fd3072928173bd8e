//! Scans: `POST /v1/assets/{id}/scans` (start; `SCANS_RUN`), `GET /v1/assets/{id}/scans` (an
//! asset's scans), `GET /v1/scans/{id}` (one, with its progress) and `POST /v1/scans/{id}/cancel`
//! (`SCANS_RUN`). At most one scan of an asset is queued or running at a time.

pub mod cancel;
pub mod create;
pub mod get_one;
pub mod list;

use crate::guard;
use chrono::{DateTime, Utc};
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use platform::UserId;
use platform::access::Permission;
use serde::Serialize;
use surface::model::{AssetId, Scan, ScanId, SnapshotId};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let view = || Access::Permission(Permission::ASSETS_VIEW);
    let run = || Access::Permission(Permission::SCANS_RUN);
    OpenApiRouter::new()
        .routes(guard(run(), Tier::Expensive, routes!(create::create)))
        .routes(guard(view(), Tier::General, routes!(list::list)))
        .routes(guard(view(), Tier::General, routes!(get_one::get_one)))
        .routes(guard(run(), Tier::General, routes!(cancel::cancel)))
}

/// How far a scan got.
#[derive(Serialize, ToSchema)]
pub struct ProgressItem {
    /// Port verdicts reached.
    pub done: i64,
    /// Port verdicts the scan will reach (addresses × ports).
    pub total: i64,
    /// Hosts finished.
    pub hosts_done: i32,
    /// `done / total`, from 0 to 100.
    pub percent: f64,
}

/// One scan of an asset.
#[derive(Serialize, ToSchema)]
pub struct ScanItem {
    pub id: ScanId,
    pub asset_id: AssetId,
    /// `manual` or `schedule`.
    pub trigger: String,
    /// `queued`, `running`, `completed`, `failed` or `cancelled`.
    pub status: String,
    /// The port list scanned.
    pub ports: String,
    pub requested_by: Option<UserId>,
    pub progress: ProgressItem,
    /// Once completed: hosts that answered, their open ports, and the change events produced.
    pub hosts_up: Option<i32>,
    pub open_ports: Option<i32>,
    pub changes: Option<i32>,
    pub snapshot_id: Option<SnapshotId>,
    /// Why it failed.
    pub error: Option<String>,
    pub cancel_requested_at: Option<DateTime<Utc>>,
    pub queued_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<Scan> for ScanItem {
    fn from(scan: Scan) -> Self {
        let progress = scan.progress;
        let percent = match progress.total {
            0 => 0.0,
            total => (progress.done as f64 * 100.0 / total as f64).clamp(0.0, 100.0),
        };
        ScanItem {
            id: scan.id,
            asset_id: scan.asset_id,
            trigger: scan.trigger.as_str().to_string(),
            status: scan.status.as_str().to_string(),
            ports: scan.ports,
            requested_by: scan.requested_by,
            progress: ProgressItem {
                done: progress.done,
                total: progress.total,
                hosts_done: progress.hosts_done,
                percent,
            },
            hosts_up: scan.hosts_up,
            open_ports: scan.open_ports,
            changes: scan.changes,
            snapshot_id: scan.snapshot_id,
            error: scan.error,
            cancel_requested_at: scan.cancel_requested_at,
            queued_at: scan.queued_at,
            started_at: scan.started_at,
            finished_at: scan.finished_at,
        }
    }
}
