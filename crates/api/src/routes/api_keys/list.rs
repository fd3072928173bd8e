//! `GET /v1/api-keys`: the tenant's API keys, newest first, revoked ones included.

use super::ApiKeyItem;
use crate::auth::Auth;
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiQuery, Page, PageParams};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

#[utoipa::path(get, path = "/v1/api-keys", tag = "api_keys", params(PageParams),
    responses(
        (status = 200, description = "A page of API keys", body = Page<ApiKeyItem>),
        (status = 400, description = "INVALID_QUERY: a bad cursor", body = crate::error::Problem),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Json<Page<ApiKeyItem>>, ApiError> {
    let limit = page.limit()?;
    let before = page.cursor.as_deref().map(uuid::Uuid::parse_str).transpose().map_err(|_| {
        ApiError::new(ErrorCode::INVALID_QUERY, "cursor is not a cursor of this list")
    })?;
    let (rows, next) = state.identity.list_api_keys(&principal, before, limit).await?;
    Ok(Json(Page {
        items: rows.into_iter().map(ApiKeyItem::from).collect(),
        next_cursor: next.map(|id| id.to_string()),
    }))
}
