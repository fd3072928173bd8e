//! `POST /channels/{id}/delete`: deletes a channel and its deliveries (the events stay) through
//! the notify service, which checks `CHANNELS_MANAGE` and audits it; then back to the list.

use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use crate::respond::see_other;
use axum::extract::{Path, State};
use axum::response::Response;
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
    state.services.notify.delete_channel(&context, &form.viewer.principal, id).await?;
    Ok(see_other("/channels"))
}
