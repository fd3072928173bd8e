//! `GET /scans/{id}`: one scan — its asset, trigger, ports, and a progress block (status, port
//! verdicts reached out of all, hosts done; then hosts up, open ports, changes, or the error).
//! While the scan is not over, the block asks for this same page every two seconds with htmx and
//! swaps itself for the fresh block (`hx-select`), so no script is written here; once the scan
//! ended, the block it swaps in has no trigger and the polling stops. A user with `SCANS_RUN`
//! can cancel it while it is queued or running. `render` also shows a refused cancel.

use super::super::Refusal;
use super::super::describe::percent;
use crate::error::PageError;
use crate::form::parse_id;
use crate::layout::Layout;
use crate::session::Viewer;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use edge::AppState;
use platform::access::Permission;
use surface::model::{Asset, Scan, ScanId};

#[derive(Template)]
#[template(path = "surface/scan.html")]
struct ScanPage {
    layout: Layout,
    scan: Scan,
    asset: Asset,
    percent: i64,
    is_final: bool,
    can_cancel: bool,
    refusal: Option<Refusal>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    render(&state, &viewer, parse_id(&id)?, None).await
}

pub(super) async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: ScanId,
    refusal: Option<Refusal>,
) -> Result<Response, PageError> {
    let surface = &state.services.surface;
    let scan = surface.scan(&viewer.principal, id).await?;
    let asset = surface.asset(&viewer.principal, scan.asset_id).await?;
    let title = format!("Scan of {}", asset.value);
    let layout = Layout::load(state, viewer, "assets", title).await?;
    let is_final = scan.status.is_final();
    let page = ScanPage {
        layout,
        percent: percent(&scan.progress),
        is_final,
        can_cancel: !is_final
            && scan.cancel_requested_at.is_none()
            && viewer.can(Permission::SCANS_RUN),
        scan,
        asset,
        refusal,
    };
    let status = page.refusal.as_ref().map_or(StatusCode::OK, |r| r.status);
    Ok((status, Html(page.render()?)).into_response())
}
