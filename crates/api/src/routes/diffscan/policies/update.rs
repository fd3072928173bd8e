//! `PATCH /v1/diffscan/policies/{id}`: changes a policy's name, description, default flag or
//! document (checked again).

use super::{PolicyItem, PolicyRequest};
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::PolicyId;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};

#[utoipa::path(patch, path = "/v1/diffscan/policies/{id}", tag = "diffscan", request_body = PolicyRequest,
    params(("id" = PolicyId, Path, description = "Policy id")),
    responses(
        (status = 200, description = "The policy after the change", body = PolicyItem),
        (status = 404, description = "NOT_FOUND"),
        (status = 409, description = "CONFLICT: the name is taken"),
        (status = 422, description = "VALIDATION_FAILED: INVALID_POLICY, UNKNOWN_RULE, INVALID_NAME"),
    ))]
pub async fn update(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<PolicyId>,
    ApiJson(request): ApiJson<PolicyRequest>,
) -> Result<Json<PolicyItem>, ApiError> {
    Ok(Json(diffscan.update_policy(&context, &principal, id, &request.into()).await?.into()))
}
