//! `POST /channels/{id}/enable` and `POST /channels/{id}/disable`: turns a channel on or off (a
//! disabled channel gets no new deliveries) through the notify service, which checks
//! `CHANNELS_MANAGE` and audits the change; then back to the channel's page.

use super::detail::{Extras, render_id};
use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use crate::notice::Notice;
use crate::respond::see_other;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use edge::AppState;
use edge::auth::Context;
use notify::service::input::ChannelInput;
use platform::ChannelId;

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
    let id: ChannelId = parse_id(&id)?;
    let input = ChannelInput { enabled: Some(enabled), ..ChannelInput::default() };
    let notify = &state.services.notify;
    let refused = match notify.update_channel(&context, &form.viewer.principal, id, &input).await {
        Ok(_) => return Ok(see_other(&format!("/channels/{id}"))),
        Err(refused) => refused,
    };
    let (status, notice) = Notice::refusal(refused.into())?;
    let page = render_id(&state, &form.viewer, id, Extras { notice, ..Extras::default() }).await?;
    Ok((status, Html(page)).into_response())
}
