//! `PUT /v1/roles`: replaces the permissions of the roles named; the others keep theirs. Takes
//! effect on every member's next request.

use super::RoleMatrix;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use identity::Identity;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRolesRequest {
    /// Role name -> the complete list of permission names it should grant.
    #[schema(example = json!({"SOC_ANALYST_L1": ["ALERTS_VIEW", "ALERTS_TRIAGE"]}))]
    pub roles: BTreeMap<String, Vec<String>>,
}

#[utoipa::path(put, path = "/v1/roles", tag = "roles", request_body = UpdateRolesRequest,
    responses(
        (status = 200, description = "The matrix after the change", body = RoleMatrix),
        (status = 403, description = "FORBIDDEN: granting a permission the caller lacks"),
        (status = 422, description = "VALIDATION_FAILED (unknown role or permission) or ROLE_LOCKED"),
    ))]
pub async fn update(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<UpdateRolesRequest>,
) -> Result<Json<RoleMatrix>, ApiError> {
    Ok(Json(identity.update_roles(&context, &principal, &request.roles).await?.into()))
}
