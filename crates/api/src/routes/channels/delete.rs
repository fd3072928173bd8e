//! `DELETE /v1/channels/{id}`: deletes a channel and its deliveries (the events stay).

use super::ChannelId;
use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

#[utoipa::path(delete, path = "/v1/channels/{id}", tag = "channels",
    params(("id" = uuid::Uuid, Path, description = "Channel id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "NOT_FOUND: no such channel in this tenant", body = crate::error::Problem),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(ChannelId(id)): IdPath<ChannelId>,
) -> Result<StatusCode, ApiError> {
    state.notify.delete_channel(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
