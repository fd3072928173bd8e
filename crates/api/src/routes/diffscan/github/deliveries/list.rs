//! `GET /v1/diffscan/github/deliveries`: webhook deliveries, newest first, by installation and
//! status.

use super::DeliveryItem;
use crate::routes::diffscan::word;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::{DeliveryStatus, InstallationId};
use diffscan::service::github::DeliveryFilter;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{Listing, PageParams};
use platform::Page;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeliveriesQuery {
    pub installation_id: Option<InstallationId>,
    /// `queued`, `processed`, `ignored` or `failed`.
    pub status: Option<String>,
}

#[utoipa::path(get, path = "/v1/diffscan/github/deliveries", tag = "diffscan", params(PageParams, DeliveriesQuery),
    responses((status = 200, description = "A page of deliveries", body = Page<DeliveryItem>)))]
pub async fn list(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Listing(page, query): Listing<DeliveriesQuery>,
) -> Result<Json<Page<DeliveryItem>>, ApiError> {
    let filter = DeliveryFilter {
        installation_id: query.installation_id,
        status: word(
            "status",
            query.status.as_deref(),
            DeliveryStatus::parse,
            "queued, processed, ignored or failed",
        )?,
    };
    Ok(Json(diffscan.list_deliveries(&principal, &filter, &page).await?.map(DeliveryItem::from)))
}
