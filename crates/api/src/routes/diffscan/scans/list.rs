//! `GET /v1/diffscans`: the tenant's scans, newest first, filtered by status, decision, source
//! and repository.

use super::ScanItem;
use crate::routes::diffscan::word;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::{ScanFilter, ScanSource, ScanStatus};
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{Listing, PageParams};
use platform::Page;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ScansQuery {
    /// `queued`, `running`, `completed` or `failed`.
    pub status: Option<String>,
    /// `pass`, `fail` or `error`.
    pub decision: Option<String>,
    /// `api` or `github`.
    pub source: Option<String>,
    /// A pull request's repository, `owner/name` (any case).
    pub repository: Option<String>,
}

#[utoipa::path(get, path = "/v1/diffscans", tag = "diffscan", params(PageParams, ScansQuery),
    responses((status = 200, description = "A page of scans, newest first", body = Page<ScanItem>)))]
pub async fn list(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Listing(page, query): Listing<ScansQuery>,
) -> Result<Json<Page<ScanItem>>, ApiError> {
    let decision = word(
        "decision",
        query.decision.as_deref(),
        |t| {
            [
                diffscan_engine::Decision::Pass,
                diffscan_engine::Decision::Fail,
                diffscan_engine::Decision::Error,
            ]
            .into_iter()
            .find(|d| d.as_str() == t)
        },
        "pass, fail or error",
    )?;
    let filter = ScanFilter {
        status: word(
            "status",
            query.status.as_deref(),
            ScanStatus::parse,
            "queued, running, completed or failed",
        )?,
        decision,
        source: word("source", query.source.as_deref(), ScanSource::parse, "api or github")?,
        repository: query.repository.map(|r| r.chars().take(201).collect()),
    };
    let scans = diffscan.list_scans(&principal, &filter, &page).await?;
    Ok(Json(scans.map(ScanItem::from)))
}
