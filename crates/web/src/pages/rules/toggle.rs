//! `POST /rules/{id}/enable` and `POST /rules/{id}/disable`: turns a rule on or off (its YAML and
//! exceptions stay) through the alerts service, which checks `RULES_MANAGE` and audits it; then
//! back to the list or to the rule's page, where the button was.

use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use crate::respond::see_other;
use alerts::model::DetectionRuleId;
use axum::extract::{Path, State};
use axum::response::Response;
use edge::AppState;
use edge::auth::Context;

pub async fn enable(
    state: State<AppState>,
    context: Context,
    id: Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    set(state, context, id, form, true).await
}

pub async fn disable(
    state: State<AppState>,
    context: Context,
    id: Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    set(state, context, id, form, false).await
}

async fn set(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
    enabled: bool,
) -> Result<Response, PageError> {
    let id: DetectionRuleId = parse_id(&id)?;
    let alerts = &state.services.alerts;
    alerts.set_rule_enabled(&context, &form.viewer.principal, id, enabled).await?;
    Ok(match form.get("back") {
        Some("list") => see_other("/rules"),
        _ => see_other(&format!("/rules/{id}")),
    })
}
