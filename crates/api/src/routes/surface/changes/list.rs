//! `GET /v1/changes`: the tenant's change events, newest first, filtered by asset, type,
//! severity, acknowledgement and time.

use super::ChangeItem;
use axum::Json;
use axum::extract::State;
use edge::auth::Auth;
use edge::extract::{Listing, PageParams};
use edge::{ApiError, ErrorCode};
use platform::outbox::Severity;
use platform::{Page, Timestamp};
use serde::Deserialize;
use surface::Surface;
use surface::model::{AssetId, ChangeFilter};
use utoipa::IntoParams;

const KINDS: &[&str] = &[
    "HOST_NEW",
    "HOST_GONE",
    "PORT_OPENED",
    "PORT_CLOSED",
    "SERVICE_CHANGED",
    "CERT_ROTATED",
    "CERT_EXPIRING",
    "CERT_EXPIRED",
    "CERT_INVALID",
];

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ChangesQuery {
    /// Only changes of this asset.
    pub asset_id: Option<AssetId>,
    /// Only changes of these types, comma-separated: `PORT_OPENED,CERT_ROTATED`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// Only changes of these severities, comma-separated: `high,critical`.
    pub severity: Option<String>,
    /// Only changes at least this severe: `info`, `low`, `medium`, `high` or `critical`.
    pub min_severity: Option<String>,
    /// `true`: only acknowledged changes; `false`: only changes not acknowledged yet.
    pub acked: Option<bool>,
    /// Only changes found at or after this RFC 3339 instant.
    pub since: Option<Timestamp>,
    /// Only changes found before this RFC 3339 instant.
    pub until: Option<Timestamp>,
}

fn bad(detail: String) -> ApiError {
    ApiError::new(ErrorCode::INVALID_QUERY, detail)
}

/// A comma-separated list whose every item passes `known`, at most 20 items.
fn list_of(
    text: Option<&str>,
    name: &str,
    known: impl Fn(&str) -> bool,
) -> Result<Vec<String>, ApiError> {
    let Some(text) = text else { return Ok(Vec::new()) };
    let items: Vec<String> = text.split(',').map(|item| item.trim().to_string()).collect();
    if items.len() > 20 || items.iter().any(|item| !known(item)) {
        return Err(bad(format!("{name} must be a comma-separated list of known values")));
    }
    Ok(items)
}

#[utoipa::path(get, path = "/v1/changes", tag = "changes", params(PageParams, ChangesQuery),
    responses((status = 200, description = "A page of changes, newest first", body = Page<ChangeItem>)))]
pub async fn list(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    Listing(page, query): Listing<ChangesQuery>,
) -> Result<Json<Page<ChangeItem>>, ApiError> {
    let kinds = list_of(query.kind.as_deref(), "type", |k| KINDS.contains(&k))?;
    let severities =
        list_of(query.severity.as_deref(), "severity", |s| Severity::parse(s).is_some())?;
    let min_severity = query
        .min_severity
        .as_deref()
        .map(|s| Severity::parse(s).ok_or(()))
        .transpose()
        .map_err(|_| bad("min_severity must be info, low, medium, high or critical".into()))?;
    if let (Some(since), Some(until)) = (query.since, query.until)
        && since > until
    {
        return Err(bad("since must not be after until".into()));
    }
    let filter = ChangeFilter {
        asset_id: query.asset_id,
        kinds,
        severities,
        min_severity,
        acked: query.acked,
        since: query.since,
        until: query.until,
    };
    let changes = surface.list_changes(&principal, &filter, &page).await?;
    Ok(Json(changes.map(ChangeItem::from)))
}
