//! `GET /v1/api-keys`: the tenant's API keys, newest first, revoked ones included.

use super::ApiKeyItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{PageParams, Paging};
use identity::Identity;
use platform::Page;

#[utoipa::path(get, path = "/v1/api-keys", tag = "api_keys", params(PageParams),
    responses((status = 200, description = "A page of API keys", body = Page<ApiKeyItem>)))]
pub async fn list(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Paging(page): Paging,
) -> Result<Json<Page<ApiKeyItem>>, ApiError> {
    let keys = identity.list_api_keys(&principal, &page).await?;
    Ok(Json(keys.map(ApiKeyItem::from)))
}
