//! `DELETE /v1/channels/{id}`: deletes a channel and its deliveries (the events stay).

use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use notify::Notify;
use platform::ChannelId;

#[utoipa::path(delete, path = "/v1/channels/{id}", tag = "channels",
    params(("id" = ChannelId, Path, description = "Channel id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "NOT_FOUND: no such channel in this tenant"),
    ))]
pub async fn delete(
    State(notify): State<Notify>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<ChannelId>,
) -> Result<StatusCode, ApiError> {
    notify.delete_channel(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
