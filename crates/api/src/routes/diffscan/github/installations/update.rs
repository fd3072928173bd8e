//! `PATCH /v1/diffscan/github/installations/{id}`: changes an installation; a new token or
//! secret is sealed, a rotated secret is shown in this response only.

use super::{InstallationItem, InstallationRequest};
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::InstallationId;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};

#[utoipa::path(patch, path = "/v1/diffscan/github/installations/{id}", tag = "diffscan", request_body = InstallationRequest,
    params(("id" = InstallationId, Path, description = "Installation id")),
    responses(
        (status = 200, description = "The installation after the change", body = InstallationItem),
        (status = 404, description = "NOT_FOUND"),
        (status = 409, description = "CONFLICT: the name is taken"),
        (status = 422, description = "VALIDATION_FAILED: URL_NOT_ALLOWED, INVALID_TEXT, NOT_APPLICABLE, UNKNOWN_REFERENCE"),
    ))]
pub async fn update(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<InstallationId>,
    ApiJson(request): ApiJson<InstallationRequest>,
) -> Result<Json<InstallationItem>, ApiError> {
    Ok(Json(diffscan.update_installation(&context, &principal, id, &request.into()).await?.into()))
}
