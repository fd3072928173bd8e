//! `PATCH /v1/channels/{id}`: changes a channel's name, filters, state or kind fields. A new URL
//! or SMTP host is checked by the SSRF guard again.

use super::{ChannelId, ChannelItem, ChannelRequest};
use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::extract::IdPath;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

#[utoipa::path(patch, path = "/v1/channels/{id}", tag = "channels", request_body = ChannelRequest,
    params(("id" = uuid::Uuid, Path, description = "Channel id")),
    responses(
        (status = 200, description = "The channel after the change", body = ChannelItem),
        (status = 404, description = "NOT_FOUND", body = crate::error::Problem),
        (status = 409, description = "CONFLICT: the name is taken", body = crate::error::Problem),
        (status = 422, description = "VALIDATION_FAILED: e.g. URL_NOT_ALLOWED, IMMUTABLE (kind), NOT_APPLICABLE", body = crate::error::Problem),
    ))]
pub async fn update(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(ChannelId(id)): IdPath<ChannelId>,
    ApiJson(request): ApiJson<ChannelRequest>,
) -> Result<Json<ChannelItem>, ApiError> {
    let input = request.into_input()?;
    let channel = state.notify.update_channel(&context, &principal, id, &input).await?;
    Ok(Json(channel.into()))
}
