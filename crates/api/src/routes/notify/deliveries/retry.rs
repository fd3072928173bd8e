//! `POST /v1/deliveries/{id}/retry`: sends a dead or failed delivery again, with a fresh set of
//! attempts (audited as `delivery.retry`).

use super::DeliveryItem;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use notify::Notify;
use platform::DeliveryId;

#[utoipa::path(post, path = "/v1/deliveries/{id}/retry", tag = "deliveries",
    params(("id" = DeliveryId, Path, description = "Delivery id")),
    responses(
        (status = 202, description = "Queued again: status pending, attempts 0", body = DeliveryItem),
        (status = 404, description = "NOT_FOUND: no such delivery in this tenant"),
        (status = 409, description = "CONFLICT: only a dead or failed delivery can be retried"),
    ))]
pub async fn retry(
    State(notify): State<Notify>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<DeliveryId>,
) -> Result<(StatusCode, Json<DeliveryItem>), ApiError> {
    let row = notify.retry_delivery(&context, &principal, id).await?;
    Ok((StatusCode::ACCEPTED, Json(row.into())))
}
