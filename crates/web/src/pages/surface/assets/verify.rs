//! `POST /assets/{id}/verify`: checks the asset's proof now, by the method chosen or by every
//! method that applies. Either outcome is recorded on the asset (`authorized`, or `failed` with
//! what each method found) and shown on its page; a check that cannot start (no challenge yet, a
//! method that cannot prove this kind) is shown there as a refusal.

use super::{asset_id, back_to_asset};
use crate::error::PageError;
use crate::form::Submitted;
use axum::extract::{Path, State};
use axum::response::Response;
use edge::AppState;
use edge::auth::Context;
use surface::service::input::parse_method;

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let id = asset_id(&id)?;
    let outcome = async {
        let method = form.get("method").map(parse_method).transpose()?;
        state.services.surface.verify(&context, &form.viewer.principal, id, method).await?;
        Ok::<(), PageError>(())
    }
    .await;
    back_to_asset(&state, &form.viewer, id, outcome).await
}
