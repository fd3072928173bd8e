//! Surface's routes: `/v1/assets` (with their authorization, baseline, scans and snapshots),
//! `/v1/scans`, `/v1/snapshots` and `/v1/changes`. Handlers call `surface::Surface`; its errors
//! become HTTP in `edge::errors::surface`. Reads need `ASSETS_VIEW`; managing assets and their
//! proof `ASSETS_MANAGE`; starting and cancelling scans `SCANS_RUN`; acknowledging changes
//! `CHANGES_ACK`. Proof checks and scan starts reach out to the network: they are in the
//! `expensive` rate tier.

pub mod assets;
pub mod changes;
pub mod scans;
pub mod snapshots;

use edge::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(assets::routes())
        .merge(scans::routes())
        .merge(snapshots::routes())
        .merge(changes::routes())
}
