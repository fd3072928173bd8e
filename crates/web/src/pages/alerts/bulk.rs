//! `POST /alerts/bulk`: acknowledge, close, assign to oneself or unassign the selected alerts in
//! one transaction (the service's bulk, which checks `ALERTS_BULK` and audits each change), then
//! back to the queue the user came from.

use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use alerts::model::{AlertId, BulkAction, Disposition};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use edge::AppState;
use edge::auth::Context;

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    form: Submitted,
) -> Result<Response, PageError> {
    let ids = form.all("id").into_iter().map(parse_id::<AlertId>).collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        return Err(PageError::bad_request("Select at least one alert."));
    }
    let comment = form.get("comment").map(str::to_string);
    let action = match form.get("action") {
        Some("acknowledge") => BulkAction::Acknowledge { comment },
        Some("close") => {
            let disposition = form.get("disposition").and_then(Disposition::parse).ok_or_else(|| {
                PageError::bad_request("Choose a disposition: true_positive, false_positive, benign, duplicate or test.")
            })?;
            BulkAction::Close { disposition, comment }
        }
        Some("assign_me") => BulkAction::Assign { assignee: form.viewer.principal.user, comment },
        Some("unassign") => BulkAction::Assign { assignee: None, comment },
        _ => {
            return Err(PageError::bad_request(
                "Choose an action: acknowledge, close, assign to me or unassign.",
            ));
        }
    };
    state.services.alerts.bulk(&context, &form.viewer.principal, &action, &ids).await?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, back_to_queue(form.get("back")))])
        .into_response())
}

/// The queue page the form was on (its filters kept), else the queue.
fn back_to_queue(back: Option<&str>) -> HeaderValue {
    back.filter(|path| path.starts_with("/alerts?") || *path == "/alerts")
        .and_then(|path| HeaderValue::from_str(path).ok())
        .unwrap_or(HeaderValue::from_static("/alerts"))
}
