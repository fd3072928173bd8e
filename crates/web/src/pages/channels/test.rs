//! `POST /channels/{id}/test`: records a `notify.test` event with one delivery to this channel
//! only, through the same outbox and relay as every other event (the notify service, which
//! checks `CHANNELS_MANAGE`, audits it and allows five tests a channel a minute). Then back to the
//! channel's page, where the delivery appears; a disabled channel or a sixth test in a minute is
//! said on that page.

use super::detail::{Extras, render_id};
use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use crate::notice::Notice;
use crate::respond::see_other;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use edge::AppState;
use edge::auth::Context;
use platform::ChannelId;

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let id: ChannelId = parse_id(&id)?;
    let notify = &state.services.notify;
    let refused = match notify.test_channel(&context, &form.viewer.principal, id).await {
        Ok(sent) => return Ok(see_other(&format!("/channels/{id}?tested={}", sent.delivery_id))),
        Err(refused) => refused,
    };
    let (status, notice) = Notice::refusal(refused.into())?;
    let page = render_id(&state, &form.viewer, id, Extras { notice, ..Extras::default() }).await?;
    Ok((status, Html(page)).into_response())
}
