//! `POST /assets/{id}/scan`: queues a scan of the asset now and goes to the scan's page, which
//! follows its progress. The service checks `SCANS_RUN`, that the asset is authorized and that
//! no other scan of it is queued or running; those refusals (409) are shown on the asset's page
//! in plain words.

use super::{asset_id, back_to_asset};
use crate::error::PageError;
use crate::form::Submitted;
use crate::respond::see_other;
use axum::extract::{Path, State};
use axum::response::Response;
use edge::AppState;
use edge::auth::Context;

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let id = asset_id(&id)?;
    match state.services.surface.start_scan(&context, &form.viewer.principal, id).await {
        Ok(scan) => Ok(see_other(&format!("/scans/{}", scan.id))),
        Err(error) => back_to_asset(&state, &form.viewer, id, Err(error.into())).await,
    }
}
