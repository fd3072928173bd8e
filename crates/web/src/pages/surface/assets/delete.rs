//! `POST /assets/{id}/delete`: deletes the asset with its scans, snapshots and changes, once the
//! user ticked the confirmation; then to the list. Refused while a scan of it runs (shown on the
//! asset's page). The service checks `ASSETS_MANAGE` and audits it.

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
    if form.get("confirm") != Some("yes") {
        let unconfirmed =
            Err(PageError::bad_request("Tick the box to confirm that the asset should go."));
        return back_to_asset(&state, &form.viewer, id, unconfirmed).await;
    }
    match state.services.surface.delete_asset(&context, &form.viewer.principal, id).await {
        Ok(()) => Ok(see_other("/assets")),
        Err(error) => back_to_asset(&state, &form.viewer, id, Err(error.into())).await,
    }
}
