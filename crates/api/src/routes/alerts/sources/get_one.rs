//! `GET /v1/alert-sources/{id}`: one source (never its credential).

use super::SourceItem;
use alerts::Alerts;
use alerts::model::AlertSourceId;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/alert-sources/{id}", tag = "alert-sources",
    params(("id" = AlertSourceId, Path, description = "Source id")),
    responses(
        (status = 200, description = "The source", body = SourceItem),
        (status = 404, description = "NOT_FOUND: no such source in this tenant"),
    ))]
pub async fn get_one(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    IdPath(id): IdPath<AlertSourceId>,
) -> Result<Json<SourceItem>, ApiError> {
    Ok(Json(alerts.source(&principal, id).await?.into()))
}
