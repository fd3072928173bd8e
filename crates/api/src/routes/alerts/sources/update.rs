//! `PATCH /v1/alert-sources/{id}`: renames, enables or disables a source.

use super::{SourceItem, SourceRequest};
use alerts::Alerts;
use alerts::model::AlertSourceId;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};

#[utoipa::path(patch, path = "/v1/alert-sources/{id}", tag = "alert-sources", request_body = SourceRequest,
    params(("id" = AlertSourceId, Path, description = "Source id")),
    responses(
        (status = 200, description = "The source", body = SourceItem),
        (status = 404, description = "NOT_FOUND: no such source in this tenant"),
        (status = 409, description = "CONFLICT: the name is taken"),
        (status = 422, description = "VALIDATION_FAILED: IMMUTABLE (kind and auth cannot change)"),
    ))]
pub async fn update(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<AlertSourceId>,
    ApiJson(request): ApiJson<SourceRequest>,
) -> Result<Json<SourceItem>, ApiError> {
    Ok(Json(alerts.update_source(&context, &principal, id, &request.into()).await?.into()))
}
