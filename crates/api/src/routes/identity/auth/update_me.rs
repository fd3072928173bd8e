//! `PATCH /v1/auth/me`: the user changes their own profile (their display name). Not through an
//! API key.

use super::me::{Me, me_of};
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use identity::Identity;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    /// 1 to 200 characters, shown in every tenant of the user.
    pub display_name: String,
}

#[utoipa::path(patch, path = "/v1/auth/me", tag = "auth", request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "Who you are now", body = Me),
        (status = 403, description = "FORBIDDEN: an API key cannot change its owner's account"),
    ))]
pub async fn update_me(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<UpdateMeRequest>,
) -> Result<Json<Me>, ApiError> {
    let profile = identity.update_profile(&context, &principal, &request.display_name).await?;
    Ok(Json(me_of(profile)))
}
