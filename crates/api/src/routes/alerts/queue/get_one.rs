//! `GET /v1/alerts/{id}`: one alert whole.

use super::AlertDetail;
use alerts::Alerts;
use alerts::model::AlertId;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/alerts/{id}", tag = "alerts",
    params(("id" = AlertId, Path, description = "Alert id")),
    responses(
        (status = 200, description = "The alert, its finding, raw payload and history", body = AlertDetail),
        (status = 404, description = "NOT_FOUND: no such alert in this tenant"),
    ))]
pub async fn get_one(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    IdPath(id): IdPath<AlertId>,
) -> Result<Json<AlertDetail>, ApiError> {
    Ok(Json(alerts.alert(&principal, id).await?.into()))
}
