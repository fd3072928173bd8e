//! `POST /assets/{id}/authorize`: issues a new challenge token for the asset (it becomes
//! `verifying`; an earlier token or authorization ends), then back to the asset's page, which
//! shows how to publish it. The service checks `ASSETS_MANAGE` and audits it.

use super::{asset_id, back_to_asset};
use crate::error::PageError;
use crate::form::Submitted;
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
    let issued = state.services.surface.authorize(&context, &form.viewer.principal, id).await;
    back_to_asset(&state, &form.viewer, id, issued.map(|_| ()).map_err(PageError::from)).await
}
