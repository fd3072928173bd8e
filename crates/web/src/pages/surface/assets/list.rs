//! `GET /assets`: the tenant's assets, newest first — value, kind, status, tags, schedule, last
//! scan — filtered by status, kind and tag (kept in the URL, so a view can be bookmarked) with
//! cursor paging; and, for a user with `ASSETS_MANAGE`, the form that adds one (its refusals are
//! shown on it by `create`, through `render`).

use super::super::{Refusal, status_class};
use crate::error::PageError;
use crate::layout::Layout;
use crate::query::PageQuery;
use crate::session::Viewer;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use edge::AppState;
use platform::PageRequest;
use platform::access::Permission;
use serde::Deserialize;
use surface::model::{Asset, AssetFilter, AssetKind, AssetStatus, Tags};

/// The list's filters and page, as the URL carries them (all text: a bad value is explained on
/// the page rather than refused by the extractor).
#[derive(Debug, Default, Deserialize)]
pub struct AssetsQuery {
    pub status: Option<String>,
    pub kind: Option<String>,
    pub tag: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

impl AssetsQuery {
    fn value(field: &Option<String>) -> Option<&str> {
        field.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }

    fn filter(&self) -> Result<AssetFilter, PageError> {
        let status = Self::value(&self.status)
            .map(|s| {
                AssetStatus::parse(s).ok_or_else(|| {
                    PageError::bad_request(
                        "Status must be pending, verifying, authorized, failed or revoked.",
                    )
                })
            })
            .transpose()?;
        let kind = Self::value(&self.kind)
            .map(|k| {
                AssetKind::parse(k)
                    .map_err(|_| PageError::bad_request("Kind must be domain, ip or cidr."))
            })
            .transpose()?;
        let tag = Self::value(&self.tag)
            .map(|t| Tags::parse_one(t).map_err(|m| PageError::bad_request(&format!("Tag: {m}"))))
            .transpose()?;
        Ok(AssetFilter { kind, status, tag })
    }

    fn page(&self) -> Result<PageRequest, PageError> {
        let limit = Self::value(&self.limit)
            .map(|l| {
                l.parse::<u32>()
                    .map_err(|_| PageError::bad_request("The page size is not a number."))
            })
            .transpose()?;
        Ok(PageRequest::new(limit, self.cursor.clone())?)
    }

    /// The filters as a query string (without the cursor), for the next page's link.
    pub fn filter_query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("status", &self.status),
            ("kind", &self.kind),
            ("tag", &self.tag),
            ("limit", &self.limit),
        ]
        .into_iter()
        .filter_map(|(k, v)| Self::value(v).map(|v| (k, v)))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    pub fn is(&self, field: &str, value: &str) -> bool {
        let given = match field {
            "status" => &self.status,
            "kind" => &self.kind,
            _ => &self.tag,
        };
        Self::value(given) == Some(value)
    }
}

/// What the add form holds: empty, or what was typed when it was refused.
#[derive(Debug, Default)]
pub struct AddForm {
    pub kind: String,
    pub value: String,
    pub ports: String,
    pub tags: String,
    pub schedule: String,
}

pub struct Row {
    pub asset: Asset,
    pub status_class: &'static str,
}

#[derive(Template)]
#[template(path = "surface/assets.html")]
struct AssetsPage {
    layout: Layout,
    query: AssetsQuery,
    rows: Vec<Row>,
    next: Option<String>,
    /// Why the filters could not be applied.
    error: Option<String>,
    can_manage: bool,
    form: AddForm,
    refusal: Option<Refusal>,
    statuses: &'static [AssetStatus],
    kinds: [&'static str; 3],
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageQuery(query): PageQuery<AssetsQuery>,
) -> Result<Response, PageError> {
    render(&state, &viewer, query, AddForm::default(), None).await
}

/// The list page; with `refusal`, the add form refused with what was typed in `form`.
pub(super) async fn render(
    state: &AppState,
    viewer: &Viewer,
    query: AssetsQuery,
    form: AddForm,
    refusal: Option<Refusal>,
) -> Result<Response, PageError> {
    let layout = Layout::load(state, viewer, "assets", "Assets").await?;
    let (rows, next, error) = match list(state, viewer, &query).await {
        Ok((rows, next)) => (rows, next, None),
        Err(refused) => match refused.form_errors() {
            Some((detail, _)) => (Vec::new(), None, Some(detail)),
            None => return Err(refused),
        },
    };
    let next = next.map(|cursor| {
        let cursor = serde_urlencoded::to_string([("cursor", cursor)]).unwrap_or_default();
        match query.filter_query() {
            filter if filter.is_empty() => format!("/assets?{cursor}"),
            filter => format!("/assets?{filter}&{cursor}"),
        }
    });
    let status = refusal.as_ref().map_or(StatusCode::OK, |r| r.status);
    let page = AssetsPage {
        layout,
        query,
        rows,
        next,
        error,
        can_manage: viewer.can(Permission::ASSETS_MANAGE),
        form,
        refusal,
        statuses: AssetStatus::ALL,
        kinds: ["domain", "ip", "cidr"],
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn list(
    state: &AppState,
    viewer: &Viewer,
    query: &AssetsQuery,
) -> Result<(Vec<Row>, Option<String>), PageError> {
    let filter = query.filter()?;
    let page = query.page()?;
    let found = state.services.surface.list_assets(&viewer.principal, &filter, &page).await?;
    let rows = found
        .items
        .into_iter()
        .map(|asset| Row { status_class: status_class(asset.status), asset })
        .collect();
    Ok((rows, found.next_cursor))
}
