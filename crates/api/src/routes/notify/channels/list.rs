//! `GET /v1/channels`: the tenant's channels, newest first.

use super::ChannelItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{PageParams, Paging};
use notify::Notify;
use platform::Page;

#[utoipa::path(get, path = "/v1/channels", tag = "channels", params(PageParams),
    responses((status = 200, description = "A page of channels", body = Page<ChannelItem>)))]
pub async fn list(
    State(notify): State<Notify>,
    Auth(principal): Auth,
    Paging(page): Paging,
) -> Result<Json<Page<ChannelItem>>, ApiError> {
    let channels = notify.list_channels(&principal, &page).await?;
    Ok(Json(channels.map(ChannelItem::from)))
}
