//! `GET /v1/channels`: the tenant's channels, newest first.

use super::ChannelItem;
use crate::auth::Auth;
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiQuery, Page, PageParams};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

#[utoipa::path(get, path = "/v1/channels", tag = "channels", params(PageParams),
    responses(
        (status = 200, description = "A page of channels", body = Page<ChannelItem>),
        (status = 400, description = "INVALID_QUERY: a bad cursor", body = crate::error::Problem),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Json<Page<ChannelItem>>, ApiError> {
    let limit = page.limit()?;
    let before = page.cursor.as_deref().map(uuid::Uuid::parse_str).transpose().map_err(|_| {
        ApiError::new(ErrorCode::INVALID_QUERY, "cursor is not a cursor of this list")
    })?;
    let (rows, next) = state.notify.list_channels(&principal, before, limit).await?;
    Ok(Json(Page {
        items: rows.into_iter().map(ChannelItem::from).collect(),
        next_cursor: next.map(|id| id.to_string()),
    }))
}
