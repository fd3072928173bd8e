//! `GET /v1/correlation-groups/{id}`: one group and its alerts.

use super::CorrelationGroupItem;
use alerts::Alerts;
use alerts::model::CorrelationGroupId;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/correlation-groups/{id}", tag = "correlation",
    params(("id" = CorrelationGroupId, Path, description = "Correlation group id")),
    responses(
        (status = 200, description = "The group and its members", body = CorrelationGroupItem),
        (status = 404, description = "NOT_FOUND: no such group in this tenant"),
    ))]
pub async fn get_one(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    IdPath(id): IdPath<CorrelationGroupId>,
) -> Result<Json<CorrelationGroupItem>, ApiError> {
    Ok(Json(CorrelationGroupItem::new(alerts.correlation_group(&principal, id).await?, true)))
}
