//! `POST /scans/{id}/cancel`: cancels the scan — at once while queued, within about a second
//! while running (no snapshot is kept of it) — and back to its page. The service checks
//! `SCANS_RUN`; a scan that already ended is said so on its page.

use super::detail::render;
use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use crate::pages::surface::Refusal;
use crate::respond::see_other;
use axum::extract::{Path, State};
use axum::response::Response;
use edge::AppState;
use edge::auth::Context;
use surface::model::ScanId;

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let id: ScanId = parse_id(&id)?;
    match state.services.surface.cancel_scan(&context, &form.viewer.principal, id).await {
        Ok(_) => Ok(see_other(&format!("/scans/{id}"))),
        Err(error) => {
            let refusal = Refusal::from_error(error.into())?;
            render(&state, &form.viewer, id, Some(refusal)).await
        }
    }
}
