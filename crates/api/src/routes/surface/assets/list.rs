//! `GET /v1/assets`: the tenant's assets, newest first, filtered by kind, status and tag.

use super::AssetItem;
use axum::Json;
use axum::extract::State;
use edge::auth::Auth;
use edge::extract::{Listing, PageParams};
use edge::{ApiError, ErrorCode};
use platform::Page;
use serde::Deserialize;
use surface::Surface;
use surface::model::{AssetFilter, AssetKind, AssetStatus};
use utoipa::{IntoParams, ToSchema};

#[derive(Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum KindParam {
    Domain,
    Ip,
    Cidr,
}

#[derive(Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusParam {
    Pending,
    Verifying,
    Authorized,
    Failed,
    Revoked,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AssetsQuery {
    #[param(inline)]
    pub kind: Option<KindParam>,
    #[param(inline)]
    pub status: Option<StatusParam>,
    /// Only assets with this tag.
    pub tag: Option<String>,
}

#[utoipa::path(get, path = "/v1/assets", tag = "assets", params(PageParams, AssetsQuery),
    responses((status = 200, description = "A page of assets, newest first", body = Page<AssetItem>)))]
pub async fn list(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    Listing(page, query): Listing<AssetsQuery>,
) -> Result<Json<Page<AssetItem>>, ApiError> {
    let kind = query.kind.map(|kind| match kind {
        KindParam::Domain => AssetKind::Domain,
        KindParam::Ip => AssetKind::Ip,
        KindParam::Cidr => AssetKind::Cidr,
    });
    let status = query.status.map(|status| match status {
        StatusParam::Pending => AssetStatus::Pending,
        StatusParam::Verifying => AssetStatus::Verifying,
        StatusParam::Authorized => AssetStatus::Authorized,
        StatusParam::Failed => AssetStatus::Failed,
        StatusParam::Revoked => AssetStatus::Revoked,
    });
    let tag =
        query.tag.map(|tag| surface::model::Tags::parse_one(&tag)).transpose().map_err(
            |message| ApiError::new(ErrorCode::INVALID_QUERY, format!("tag: {message}")),
        )?;
    let filter = AssetFilter { kind, status, tag };
    let assets = surface.list_assets(&principal, &filter, &page).await?;
    Ok(Json(assets.map(AssetItem::from)))
}
