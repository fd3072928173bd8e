//! `POST /v1/alert-sources/{id}/rotate`: a new token or signing secret, shown this once; the old
//! one stops working at once.

use super::SourceWithSecretItem;
use alerts::Alerts;
use alerts::model::AlertSourceId;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;

#[utoipa::path(post, path = "/v1/alert-sources/{id}/rotate", tag = "alert-sources",
    params(("id" = AlertSourceId, Path, description = "Source id")),
    responses(
        (status = 200, description = "The source and its new credential, shown this once", body = SourceWithSecretItem),
        (status = 404, description = "NOT_FOUND: no such source in this tenant"),
    ))]
pub async fn rotate(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<AlertSourceId>,
) -> Result<Json<SourceWithSecretItem>, ApiError> {
    Ok(Json(alerts.rotate_source(&context, &principal, id).await?.into()))
}
