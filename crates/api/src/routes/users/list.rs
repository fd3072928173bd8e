//! `GET /v1/users`: the members of the caller's tenant, a page at a time in user-id order,
//! optionally filtered by membership status and role.

use super::UserItem;
use crate::auth::Auth;
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiQuery, Page, PageParams};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use identity::service::users::MemberQuery;
use platform::UserId;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    /// `active`, `blocked` or `deleted`.
    pub status: Option<String>,
    /// A role name, e.g. `SOC_ANALYST_L1`.
    pub role: Option<String>,
}

#[utoipa::path(get, path = "/v1/users", tag = "users", params(PageParams, UserFilter),
    responses(
        (status = 200, description = "Members of this tenant", body = Page<UserItem>),
        (status = 400, description = "INVALID_QUERY (bad cursor)", body = crate::error::Problem),
        (status = 422, description = "Unknown status or role", body = crate::error::Problem),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiQuery(page): ApiQuery<PageParams>,
    ApiQuery(filter): ApiQuery<UserFilter>,
) -> Result<Json<Page<UserItem>>, ApiError> {
    let limit = page.limit()?;
    let after = page
        .cursor
        .as_deref()
        .map(UserId::parse)
        .transpose()
        .map_err(|_| ApiError::new(ErrorCode::INVALID_QUERY, "The cursor is not valid."))?;
    let query = MemberQuery {
        status: filter.status.as_deref(),
        role: filter.role.as_deref(),
        after,
        limit,
    };
    let found = state.identity.list_members(&principal, query).await?;
    Ok(Json(Page {
        items: found.items.into_iter().map(UserItem::from).collect(),
        next_cursor: found.next.map(|id| id.to_string()),
    }))
}
