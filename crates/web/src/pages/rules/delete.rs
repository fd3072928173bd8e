//! `POST /rules/{id}/delete`: deletes a rule (the alerts it raised stay) through the alerts
//! service, which checks `RULES_MANAGE` and audits it; then back to the list.

use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use crate::respond::see_other;
use alerts::model::DetectionRuleId;
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
    let id: DetectionRuleId = parse_id(&id)?;
    state.services.alerts.delete_rule(&context, &form.viewer.principal, id).await?;
    Ok(see_other("/rules"))
}
