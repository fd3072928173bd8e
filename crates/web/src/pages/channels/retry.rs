//! `POST /deliveries/{id}/retry`: sends a dead (or failed) delivery again — back to pending with
//! a fresh set of attempts, queued for the relay now — through the notify service, which checks
//! `CHANNELS_MANAGE` and audits it; then back to the delivery's channel. A delivery in any other
//! state is said on the channel page the button was on; another tenant's is not found.

use super::detail::{Extras, render_id};
use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use crate::notice::Notice;
use crate::respond::see_other;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use edge::AppState;
use edge::auth::Context;
use platform::{ChannelId, DeliveryId};

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let id: DeliveryId = parse_id(&id)?;
    // The channel page the button was on, where a refusal is said.
    let channel = form.get("channel").map(parse_id::<ChannelId>).transpose()?;
    let notify = &state.services.notify;
    let refused = match notify.retry_delivery(&context, &form.viewer.principal, id).await {
        Ok(row) => {
            return Ok(see_other(&format!("/channels/{}?retried={id}", row.channel_id)));
        }
        Err(refused) => refused,
    };
    let Some(channel) = channel else { return Err(refused.into()) };
    let (status, notice) = Notice::refusal(refused.into())?;
    let page =
        render_id(&state, &form.viewer, channel, Extras { notice, ..Extras::default() }).await?;
    Ok((status, Html(page)).into_response())
}
