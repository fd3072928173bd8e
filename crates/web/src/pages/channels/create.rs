//! `POST /channels`: adds the channel of one of the add forms through the notify service, which
//! checks `CHANNELS_MANAGE`, validates every field and sends each URL and SMTP relay through the
//! SSRF guard. A webhook's signing secret is generated there and shown on the answer, this once;
//! other kinds go on to their page. A refusal comes back on the form it concerns, what was typed
//! kept (never the password), nothing stored.

use super::detail::{self, Extras};
use super::list::{AddForm, ListQuery, add_forms, form_kind, render};
use crate::error::PageError;
use crate::form::Submitted;
use crate::notice::Notice;
use crate::respond::see_other;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use edge::AppState;
use edge::auth::Context;
use notify::service::input::ChannelInput;
use platform::{FieldCode, Invalid, Secret};

/// The fields of a list: separated by commas, semicolons or lines, blanks dropped.
fn list(text: Option<&str>) -> Vec<String> {
    let text = text.unwrap_or_default();
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The form's fields as the service's input: only the fields of the form's kind (the service
/// refuses fields of another kind), absent when left empty.
fn input(form: &Submitted) -> Result<ChannelInput, PageError> {
    let text = |name: &str| form.get(name).map(String::from);
    let kind = form.get("kind").unwrap_or_default();
    let mut input = ChannelInput {
        name: text("name"),
        kind: Some(kind.to_string()),
        min_severity: text("min_severity"),
        event_types: Some(list(form.get("event_types"))),
        ..ChannelInput::default()
    };
    if kind != "email" {
        input.url = text("url");
        return Ok(input);
    }
    input.smtp_host = text("smtp_host");
    input.smtp_port = match form.get("smtp_port") {
        None => None,
        Some(port) => Some(port.parse::<u16>().ok().filter(|p| *p != 0).ok_or_else(|| {
            Invalid::new("smtp_port", FieldCode::OUT_OF_RANGE, "a port from 1 to 65535")
        })?),
    };
    input.tls = text("tls");
    input.username = text("username");
    input.password = form.raw("password").filter(|p| !p.is_empty()).map(|p| Secret::new(p.into()));
    input.from = text("from");
    input.to = Some(list(form.get("to")));
    Ok(input)
}

/// What was typed, to show again (bounded: a refused form is not an echo service).
fn typed(form: &Submitted, notice: Notice) -> AddForm {
    let keep = |name: &str| form.get(name).unwrap_or_default().chars().take(5_000).collect();
    AddForm {
        kind: form_kind(form.get("kind").unwrap_or_default()),
        name: keep("name"),
        url: keep("url"),
        min_severity: keep("min_severity"),
        event_types: keep("event_types"),
        smtp_host: keep("smtp_host"),
        smtp_port: keep("smtp_port"),
        tls: keep("tls"),
        username: keep("username"),
        from: keep("from"),
        to: keep("to"),
        notice,
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    form: Submitted,
) -> Result<Response, PageError> {
    let notify = &state.services.notify;
    let created = match input(&form) {
        Ok(input) => notify.create_channel(&context, &form.viewer.principal, &input).await,
        Err(refused) => return refused_form(&state, &form, refused).await,
    };
    let created = match created {
        Ok(created) => created,
        Err(refused) => return refused_form(&state, &form, refused.into()).await,
    };
    let id = created.channel.id;
    let Some(secret) = created.secret else {
        return Ok(see_other(&format!("/channels/{id}")));
    };
    let extras = Extras { secret: Some(secret.expose().clone()), ..Extras::default() };
    let page = detail::render(&state, &form.viewer, created.channel, extras).await?;
    Ok((StatusCode::CREATED, Html(page)).into_response())
}

async fn refused_form(
    state: &AppState,
    form: &Submitted,
    refused: PageError,
) -> Result<Response, PageError> {
    let (status, notice) = Notice::refusal(refused)?;
    let forms = add_forms(Some(typed(form, notice.headed("Not added"))));
    let page = render(state, &form.viewer, &ListQuery::default(), forms).await?;
    Ok((status, Html(page)).into_response())
}
