//! `GET /v1/invitations`: the tenant's invitations, newest first.

use super::InvitationItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{PageParams, Paging};
use identity::Identity;
use platform::Page;

#[utoipa::path(get, path = "/v1/invitations", tag = "invitations", params(PageParams),
    responses((status = 200, description = "A page of invitations", body = Page<InvitationItem>)))]
pub async fn list(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Paging(page): Paging,
) -> Result<Json<Page<InvitationItem>>, ApiError> {
    let invitations = identity.list_invitations(&principal, &page).await?;
    Ok(Json(invitations.map(InvitationItem::from)))
}
