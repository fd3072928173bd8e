//! `POST /v1/invitations`: invites an address to the caller's tenant with a role; the invitee is
//! mailed a link. The answer is the same whether the address has an account or not.

use super::InvitationItem;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use identity::Identity;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    pub email: String,
    /// The role in this tenant; you must hold every permission it grants (GLOBAL_ADMIN: only a
    /// global administrator).
    pub role: String,
}

#[utoipa::path(post, path = "/v1/invitations", tag = "invitations", request_body = InviteRequest,
    responses(
        (status = 202, description = "Invited; the link is on its way", body = InvitationItem),
        (status = 403, description = "FORBIDDEN: the role grants permissions you do not hold"),
        (status = 409, description = "MAIL_NOT_CONFIGURED: the installation has no [mail]"),
    ))]
pub async fn create(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<InviteRequest>,
) -> Result<(StatusCode, Json<InvitationItem>), ApiError> {
    let invitation = identity.invite(&context, &principal, &request.email, &request.role).await?;
    Ok((StatusCode::ACCEPTED, Json(invitation.into())))
}
