//! `POST /assets/{id}/attest`: a tenant administrator vouches that the tenant may scan this
//! address or block, with a reason the audit log keeps. The service checks `ASSETS_MANAGE`, the
//! role and the kind (domains prove themselves); a missing reason is shown on the page.

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
    let reason = form.get("reason");
    let attested =
        state.services.surface.attest(&context, &form.viewer.principal, id, reason).await;
    back_to_asset(&state, &form.viewer, id, attested.map(|_| ()).map_err(PageError::from)).await
}
