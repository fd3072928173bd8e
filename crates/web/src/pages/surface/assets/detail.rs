//! `GET /assets/{id}`: one asset — its status and why, how to prove the tenant may scan it (the
//! DNS TXT record and the well-known file of its open challenge, each with a copy button), the
//! actions the user may take (issue a challenge and verify, attest, scan now, schedule, accept a
//! baseline, delete), its latest snapshot (hosts, open ports, certificates), its recent scans and
//! its changes. Another tenant's asset is not found. `render` also shows an action's refusal.

use super::super::describe::{self, ChangeRow, SnapshotView};
use super::super::{Refusal, status_class};
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use edge::AppState;
use platform::PageRequest;
use platform::access::{Permission, Role};
use surface::model::{
    Asset, AssetId, AssetKind, AssetStatus, AuthMethod, ChangeFilter, Scan, SnapshotRecord,
};
use surface::service::authorization::Instructions;

pub struct ScanRow {
    pub scan: Scan,
    pub percent: i64,
}

#[derive(Template)]
#[template(path = "surface/asset.html")]
struct AssetPage {
    layout: Layout,
    asset: Asset,
    status_class: &'static str,
    instructions: Option<Instructions>,
    /// The methods `verify` may be asked to use for this kind of asset.
    methods: Vec<AuthMethod>,
    latest: Option<SnapshotRecord>,
    snapshot: SnapshotView,
    latest_is_baseline: bool,
    scans: Vec<ScanRow>,
    active_scan: Option<String>,
    changes: Vec<ChangeRow>,
    more_changes: bool,
    refusal: Option<Refusal>,
    authorized: bool,
    can_manage: bool,
    can_scan: bool,
    can_attest: bool,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    render(&state, &viewer, super::asset_id(&id)?, None).await
}

/// The asset's page, with `refusal` shown at the top (and its status) when an action was refused.
pub(crate) async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: AssetId,
    refusal: Option<Refusal>,
) -> Result<Response, PageError> {
    let surface = &state.services.surface;
    let principal = &viewer.principal;
    let asset = surface.asset(principal, id).await?;
    let instructions =
        asset.challenge.as_ref().map(|c| surface.instructions(&asset.value, &c.token));
    let first = |limit| PageRequest::new(Some(limit), None);
    let latest = surface.list_snapshots(principal, id, &first(1)?).await?.items.into_iter().next();
    let latest = match latest {
        Some(record) => Some(surface.snapshot(principal, record.id).await?),
        None => None,
    };
    let scans: Vec<ScanRow> = surface
        .list_scans(principal, id, &first(10)?)
        .await?
        .items
        .into_iter()
        .map(|scan| ScanRow { percent: describe::percent(&scan.progress), scan })
        .collect();
    let filter = ChangeFilter { asset_id: Some(id), ..ChangeFilter::default() };
    let changes = surface.list_changes(principal, &filter, &first(20)?).await?;
    let layout = Layout::load(state, viewer, "assets", asset.value.to_string()).await?;
    let can_manage = viewer.can(Permission::ASSETS_MANAGE);
    let administrator = principal.role == Some(Role::TENANT_ADMIN) || principal.is_global_admin;
    let page = AssetPage {
        layout,
        status_class: status_class(asset.status),
        instructions,
        methods: surface::verify::methods_for(asset.kind()).to_vec(),
        snapshot: latest.as_ref().map(|s| describe::snapshot(&s.document)).unwrap_or_default(),
        latest_is_baseline: latest.as_ref().map(|s| s.id) == asset.baseline_snapshot_id,
        latest,
        active_scan: scans
            .iter()
            .find(|s| !s.scan.status.is_final())
            .map(|s| s.scan.id.to_string()),
        scans,
        more_changes: changes.next_cursor.is_some(),
        changes: changes.items.into_iter().map(ChangeRow::from).collect(),
        authorized: asset.status == AssetStatus::Authorized,
        can_manage,
        can_scan: viewer.can(Permission::SCANS_RUN),
        can_attest: can_manage && administrator && asset.kind() != AssetKind::Domain,
        refusal: refusal.map(|r| plain(r, &asset)),
        asset,
    };
    let status = page.refusal.as_ref().map_or(StatusCode::OK, |r| r.status);
    Ok((status, Html(page.render()?)).into_response())
}

/// The service speaks to API clients ("call POST /v1/…/authorize"); on this page the same
/// refusals point at the buttons instead.
fn plain(mut refusal: Refusal, asset: &Asset) -> Refusal {
    refusal.message = match refusal.code.as_str() {
        "ASSET_NOT_AUTHORIZED" => format!(
            "This asset cannot be scanned: it is {}, not authorized. Palisade scans only assets \
             whose authorization is proven — publish one of the proofs below, then press Verify.",
            asset.status
        ),
        "NO_CHALLENGE" => {
            "No challenge was issued for this asset yet: press \"Issue a challenge\", \
                           publish it, then press Verify."
                .into()
        }
        _ => refusal.message,
    };
    refusal
}
