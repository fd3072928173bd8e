//! `DELETE /v1/invitations/{id}`: withdraws a pending invitation; its link stops working.

use super::InvitationItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use identity::Identity;
use identity::model::InvitationId;

#[utoipa::path(delete, path = "/v1/invitations/{id}", tag = "invitations",
    params(("id" = InvitationId, Path, description = "Invitation id")),
    responses(
        (status = 200, description = "Revoked", body = InvitationItem),
        (status = 409, description = "INVITATION_CLOSED: already accepted, revoked or replaced"),
    ))]
pub async fn revoke(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<InvitationId>,
) -> Result<Json<InvitationItem>, ApiError> {
    Ok(Json(identity.revoke_invitation(&context, &principal, id).await?.into()))
}
