//! `POST /rules/test`: the rule form's "Test rule" button — the YAML and exceptions as typed,
//! tested against the sample events by the alerts service (`RULES_MANAGE`), which stores
//! nothing. The form comes back with everything kept and a verdict per event, or the refusal
//! beside its field (a rule that does not compile, events that are not JSON).

use super::edit::{Draft, VerdictRow, render};
use super::save::{exceptions, posted};
use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use crate::notice::Notice;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use edge::AppState;
use platform::{FieldCode, Invalid};
use serde_json::Value;

/// The sample events: JSON values one after the other (one per line, or pretty-printed), or a
/// single JSON array of them.
pub fn events(text: &str) -> Result<Vec<Value>, PageError> {
    let mut values = Vec::new();
    for value in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        let value = value.map_err(|error| {
            Invalid::new("events", FieldCode::INVALID_JSON, format!("not valid JSON: {error}"))
        })?;
        values.push(value);
    }
    match <[Value; 1]>::try_from(values) {
        Ok([Value::Array(items)]) => Ok(items),
        Ok([one]) => Ok(vec![one]),
        Err(values) => Ok(values),
    }
}

async fn verdicts(
    state: &AppState,
    form: &Submitted,
    draft: &Draft,
) -> Result<Vec<VerdictRow>, PageError> {
    let exceptions = exceptions(&draft.exceptions)?;
    let events = events(&draft.events)?;
    let alerts = &state.services.alerts;
    let found = alerts.test_rule(&form.viewer.principal, &draft.yaml, &exceptions, &events).await?;
    Ok(found.into_iter().map(VerdictRow::from).collect())
}

pub async fn submit(State(state): State<AppState>, form: Submitted) -> Result<Response, PageError> {
    let id = form.get("rule").map(parse_id).transpose()?;
    let mut draft = posted(&form, id);
    let status = match verdicts(&state, &form, &draft).await {
        Ok(rows) => {
            draft.verdicts = Some(rows);
            axum::http::StatusCode::OK
        }
        Err(error) => {
            let (status, notice) = Notice::refusal(error)?;
            draft.notice = notice.headed("The rule was not tested");
            status
        }
    };
    let page = render(&state, &form.viewer, draft).await?;
    Ok((status, Html(page)).into_response())
}
