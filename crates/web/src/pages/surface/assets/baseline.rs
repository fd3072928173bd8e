//! `POST /assets/{id}/baseline`: accepts the asset's latest snapshot as its baseline, so that
//! later changes are reported against the surface as it is now (`ASSETS_MANAGE`, audited).

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
    let accepted =
        state.services.surface.accept_baseline(&context, &form.viewer.principal, id).await;
    back_to_asset(&state, &form.viewer, id, accepted.map(|_| ()).map_err(PageError::from)).await
}
