//! `GET /v1/deliveries`: the tenant's deliveries, newest first, filtered by status, channel and
//! event.

use super::DeliveryItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{Listing, PageParams};
use notify::Notify;
use notify::model::{DeliveryFilter, DeliveryStatus};
use platform::{ChannelId, EventId, Page};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusParam {
    Pending,
    Delivering,
    Delivered,
    Failed,
    Dead,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeliveriesQuery {
    #[param(inline)]
    pub status: Option<StatusParam>,
    pub channel_id: Option<ChannelId>,
    pub event_id: Option<EventId>,
}

#[utoipa::path(get, path = "/v1/deliveries", tag = "deliveries", params(PageParams, DeliveriesQuery),
    responses(
        (status = 200, description = "A page of deliveries, newest first", body = Page<DeliveryItem>),
    ))]
pub async fn list(
    State(notify): State<Notify>,
    Auth(principal): Auth,
    Listing(page, query): Listing<DeliveriesQuery>,
) -> Result<Json<Page<DeliveryItem>>, ApiError> {
    let status = query.status.map(|status| match status {
        StatusParam::Pending => DeliveryStatus::Pending,
        StatusParam::Delivering => DeliveryStatus::Delivering,
        StatusParam::Delivered => DeliveryStatus::Delivered,
        StatusParam::Failed => DeliveryStatus::Failed,
        StatusParam::Dead => DeliveryStatus::Dead,
    });
    let filter = DeliveryFilter { status, channel_id: query.channel_id, event_id: query.event_id };
    let deliveries = notify.list_deliveries(&principal, &filter, &page).await?;
    Ok(Json(deliveries.map(DeliveryItem::from)))
}
