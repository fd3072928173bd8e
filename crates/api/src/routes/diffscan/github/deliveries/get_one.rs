//! `GET /v1/diffscan/github/deliveries/{id}`: one delivery and what became of it.

use super::DeliveryItem;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::WebhookDeliveryId;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/diffscan/github/deliveries/{id}", tag = "diffscan",
    params(("id" = WebhookDeliveryId, Path, description = "Delivery id")),
    responses(
        (status = 200, description = "The delivery", body = DeliveryItem),
        (status = 404, description = "NOT_FOUND: no such delivery in this tenant"),
    ))]
pub async fn get_one(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    IdPath(id): IdPath<WebhookDeliveryId>,
) -> Result<Json<DeliveryItem>, ApiError> {
    Ok(Json(diffscan.delivery(&principal, id).await?.into()))
}
