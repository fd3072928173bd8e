//! `POST /v1/changes/{id}/ack`: acknowledges a change (audited as `change.ack`; acknowledging
//! again keeps the first acknowledgement).

use super::ChangeItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use surface::Surface;
use surface::model::ChangeId;

#[utoipa::path(post, path = "/v1/changes/{id}/ack", tag = "changes",
    params(("id" = ChangeId, Path, description = "Change id")),
    responses(
        (status = 200, description = "The acknowledged change", body = ChangeItem),
        (status = 404, description = "NOT_FOUND"),
    ))]
pub async fn ack(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<ChangeId>,
) -> Result<Json<ChangeItem>, ApiError> {
    Ok(Json(surface.ack_change(&context, &principal, id).await?.into()))
}
