//! `PATCH /v1/channels/{id}`: changes a channel's name, filters, state or kind fields. A new URL
//! or SMTP host is checked by the SSRF guard again.

use super::{ChannelItem, ChannelRequest};
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use edge::extract::IdPath;
use notify::Notify;
use platform::ChannelId;

#[utoipa::path(patch, path = "/v1/channels/{id}", tag = "channels", request_body = ChannelRequest,
    params(("id" = ChannelId, Path, description = "Channel id")),
    responses(
        (status = 200, description = "The channel after the change", body = ChannelItem),
        (status = 404, description = "NOT_FOUND"),
        (status = 409, description = "CONFLICT: the name is taken"),
        (status = 422, description = "VALIDATION_FAILED: e.g. URL_NOT_ALLOWED, IMMUTABLE (kind), NOT_APPLICABLE"),
    ))]
pub async fn update(
    State(notify): State<Notify>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<ChannelId>,
    ApiJson(request): ApiJson<ChannelRequest>,
) -> Result<Json<ChannelItem>, ApiError> {
    let input = request.into_input()?;
    let channel = notify.update_channel(&context, &principal, id, &input).await?;
    Ok(Json(channel.into()))
}
