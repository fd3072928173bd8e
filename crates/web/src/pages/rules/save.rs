//! `POST /rules` and `POST /rules/{id}`: creates a rule from the form, or changes one (its YAML,
//! exceptions and whether it is on), through the alerts service, which compiles the YAML and
//! checks `RULES_MANAGE`. When it refuses what was typed (the parser's message and line, a bad
//! exception, a duplicate Sigma id) the form comes back with everything kept and nothing saved.

use super::edit::{Draft, render};
use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use crate::notice::Notice;
use crate::respond::see_other;
use alerts::model::DetectionRuleId;
use alerts::service::rules::RuleInput;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use edge::AppState;
use edge::auth::Context;
use platform::{FieldCode, Invalid};
use serde_json::Value;

/// A textarea's text as typed: whitespace kept (YAML is indentation-sensitive and its line
/// numbers must match what the user sees), the browser's CRLF line breaks back to LF.
pub fn typed(form: &Submitted, name: &str) -> String {
    form.raw(name).unwrap_or_default().replace("\r\n", "\n")
}

/// The form's fields as a draft of rule `id` (none: a new rule).
pub fn posted(form: &Submitted, id: Option<DetectionRuleId>) -> Draft {
    Draft {
        id,
        yaml: typed(form, "yaml"),
        exceptions: typed(form, "exceptions"),
        enabled: form.get("enabled").is_some(),
        events: typed(form, "events"),
        ..Draft::default()
    }
}

/// The exceptions textarea: empty for none, else a JSON array of selections (one object alone
/// is taken as a list of one); the service checks each selection.
pub fn exceptions(text: &str) -> Result<Vec<Value>, PageError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let refused = |message: String| Invalid::new("exceptions", FieldCode::INVALID_JSON, message);
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => Ok(items),
        Ok(object @ Value::Object(_)) => Ok(vec![object]),
        Ok(_) => {
            Err(refused("a JSON array of selections, e.g. [{\"User\": \"svc_backup\"}]".into())
                .into())
        }
        Err(error) => Err(refused(format!("not valid JSON: {error}")).into()),
    }
}

fn input(draft: &Draft) -> Result<RuleInput, PageError> {
    Ok(RuleInput {
        yaml: Some(draft.yaml.clone()),
        enabled: Some(draft.enabled),
        exceptions: Some(exceptions(&draft.exceptions)?),
    })
}

/// The form again with `refused` beside its field, or the error page when it is not about
/// what was typed.
async fn refused(
    state: &AppState,
    form: &Submitted,
    mut draft: Draft,
    refused: PageError,
) -> Result<Response, PageError> {
    let (status, notice) = Notice::refusal(refused)?;
    draft.notice = notice.headed("Nothing was saved");
    let page = render(state, &form.viewer, draft).await?;
    Ok((status, Html(page)).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    Context(context): Context,
    form: Submitted,
) -> Result<Response, PageError> {
    let draft = posted(&form, None);
    let alerts = &state.services.alerts;
    let created = match input(&draft) {
        Ok(input) => alerts.create_rule(&context, &form.viewer.principal, &input).await,
        Err(error) => return refused(&state, &form, draft, error).await,
    };
    match created {
        Ok(rule) => Ok(see_other(&format!("/rules/{}?saved=created", rule.id))),
        Err(error) => refused(&state, &form, draft, error.into()).await,
    }
}

pub async fn update(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let id: DetectionRuleId = parse_id(&id)?;
    let draft = posted(&form, Some(id));
    let alerts = &state.services.alerts;
    let updated = match input(&draft) {
        Ok(input) => alerts.update_rule(&context, &form.viewer.principal, id, &input).await,
        Err(error) => return refused(&state, &form, draft, error).await,
    };
    match updated {
        Ok(rule) => Ok(see_other(&format!("/rules/{}?saved=updated", rule.id))),
        Err(error) => refused(&state, &form, draft, error.into()).await,
    }
}
