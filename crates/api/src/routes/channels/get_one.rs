//! `GET /v1/channels/{id}`: one channel of the caller's tenant (another tenant's is 404).

use super::{ChannelId, ChannelItem};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

#[utoipa::path(get, path = "/v1/channels/{id}", tag = "channels",
    params(("id" = uuid::Uuid, Path, description = "Channel id")),
    responses(
        (status = 200, description = "The channel", body = ChannelItem),
        (status = 404, description = "NOT_FOUND: no such channel in this tenant", body = crate::error::Problem),
    ))]
pub async fn get_one(
    State(state): State<AppState>,
    Auth(principal): Auth,
    IdPath(ChannelId(id)): IdPath<ChannelId>,
) -> Result<Json<ChannelItem>, ApiError> {
    Ok(Json(state.notify.channel(&principal, id).await?.into()))
}
