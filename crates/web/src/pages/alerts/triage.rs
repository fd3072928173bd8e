//! `POST /alerts/{id}/triage`: acknowledge, investigate, close with a disposition, reopen or
//! assign to oneself, with an optional comment; the service checks `ALERTS_TRIAGE`, records the
//! history and audits it.

use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use alerts::model::{AlertId, Disposition};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use edge::AppState;
use edge::auth::Context;

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let id: AlertId = parse_id(&id)?;
    let (alerts, principal) = (&state.services.alerts, &form.viewer.principal);
    let note = form.get("comment");
    match form.get("action") {
        Some("acknowledge") => alerts.acknowledge(&context, principal, id, note).await?,
        Some("investigate") => alerts.investigate(&context, principal, id, note).await?,
        Some("reopen") => alerts.reopen(&context, principal, id, note).await?,
        Some("assign_me") => alerts.assign(&context, principal, id, principal.user, note).await?,
        Some("close") => {
            let disposition = form
                .get("disposition")
                .and_then(Disposition::parse)
                .ok_or_else(|| PageError::bad_request("Choose a disposition."))?;
            alerts.close(&context, principal, id, disposition, note).await?
        }
        _ => return Err(PageError::bad_request("Unknown action.")),
    };
    let back = HeaderValue::from_str(&format!("/alerts/{id}"))
        .unwrap_or(HeaderValue::from_static("/alerts"));
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response())
}
