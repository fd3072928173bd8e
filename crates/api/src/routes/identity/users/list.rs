//! `GET /v1/users`: the members of the caller's tenant, a page at a time in user-id order,
//! optionally filtered by membership status and role.

use super::UserItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{Listing, PageParams};
use identity::Identity;
use identity::service::users::MemberQuery;
use platform::Page;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserFilter {
    /// `active`, `blocked` or `deleted`.
    pub status: Option<String>,
    /// A role name, e.g. `SOC_ANALYST_L1`.
    pub role: Option<String>,
}

#[utoipa::path(get, path = "/v1/users", tag = "users", params(PageParams, UserFilter),
    responses(
        (status = 200, description = "Members of this tenant", body = Page<UserItem>),
        (status = 422, description = "INVALID_STATUS or INVALID_ROLE"),
    ))]
pub async fn list(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Listing(page, filter): Listing<UserFilter>,
) -> Result<Json<Page<UserItem>>, ApiError> {
    let query = MemberQuery { status: filter.status.as_deref(), role: filter.role.as_deref() };
    let members = identity.list_members(&principal, query, &page).await?;
    Ok(Json(members.map(UserItem::from)))
}
