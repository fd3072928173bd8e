//! `POST /assets/{id}/schedule`: sets the asset's scan schedule (an interval such as `6h` or
//! five cron fields in UTC) or, empty, removes it. The service parses it, refuses one that would
//! scan more often than every 15 minutes (shown next to the field) and moves the pending job.

use super::{asset_id, back_to_asset};
use crate::error::PageError;
use crate::form::Submitted;
use axum::extract::{Path, State};
use axum::response::Response;
use edge::AppState;
use edge::auth::Context;
use surface::service::input::AssetInput;

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let id = asset_id(&id)?;
    let input = AssetInput {
        schedule: Some(form.get("schedule").unwrap_or_default().to_string()),
        ..AssetInput::default()
    };
    let updated =
        state.services.surface.update_asset(&context, &form.viewer.principal, id, &input).await;
    back_to_asset(&state, &form.viewer, id, updated.map(|_| ()).map_err(PageError::from)).await
}
