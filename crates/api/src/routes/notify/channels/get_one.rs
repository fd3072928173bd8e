//! `GET /v1/channels/{id}`: one channel of the caller's tenant (another tenant's is 404).

use super::ChannelItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;
use notify::Notify;
use platform::ChannelId;

#[utoipa::path(get, path = "/v1/channels/{id}", tag = "channels",
    params(("id" = ChannelId, Path, description = "Channel id")),
    responses(
        (status = 200, description = "The channel", body = ChannelItem),
        (status = 404, description = "NOT_FOUND: no such channel in this tenant"),
    ))]
pub async fn get_one(
    State(notify): State<Notify>,
    Auth(principal): Auth,
    IdPath(id): IdPath<ChannelId>,
) -> Result<Json<ChannelItem>, ApiError> {
    Ok(Json(notify.channel(&principal, id).await?.into()))
}
