//! `POST /v1/invitations/accept`: the invitee accepts with the mailed token — choosing a
//! password when the address has no verified account, giving the account's own password when it
//! has one — and is logged in to the tenant.

use crate::routes::identity::auth::TokenResponse;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Context;
use edge::extract::ApiJson;
use identity::Identity;
use identity::service::invitations::Acceptance;
use platform::Secret;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptRequest {
    /// The `pinv_…` token of the invitation email.
    #[schema(value_type = String)]
    pub token: Secret<String>,
    /// A new account's password (the password policy applies), or the existing account's own.
    #[schema(value_type = String, format = Password)]
    pub password: Secret<String>,
    /// For a new account.
    pub display_name: Option<String>,
}

#[utoipa::path(post, path = "/v1/invitations/accept", tag = "invitations",
    request_body = AcceptRequest,
    responses(
        (status = 200, description = "A member now, logged in to the tenant", body = TokenResponse),
        (status = 400, description = "INVALID_TOKEN: unknown, used, revoked or expired"),
        (status = 401, description = "INVALID_CREDENTIALS: not the existing account's password"),
        (status = 409, description = "ALREADY_MEMBER"),
    ))]
pub async fn accept(
    State(identity): State<Identity>,
    Context(context): Context,
    ApiJson(request): ApiJson<AcceptRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let acceptance = Acceptance {
        token: request.token.expose(),
        password: &request.password,
        display_name: request.display_name.as_deref(),
    };
    Ok(Json(identity.accept_invitation(&context, &acceptance).await?.into()))
}
