//! `GET /changes`: the tenant's change events, newest first — when, severity, type, where, the
//! value before and after, acknowledged or not — filtered by asset, type, minimum severity and
//! acknowledgement (kept in the URL) with cursor paging. A user with `CHANGES_ACK` gets an
//! acknowledge button on each open row. A bad filter or cursor is explained at the top.

use super::super::describe::ChangeRow;
use super::super::with_query;
use crate::error::PageError;
use crate::form::parse_id;
use crate::layout::Layout;
use crate::query::PageQuery;
use crate::session::Viewer;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use edge::AppState;
use platform::PageRequest;
use platform::access::Permission;
use platform::outbox::Severity;
use serde::Deserialize;
use surface::SurfaceError;
use surface::model::{AssetId, ChangeFilter};

/// The change types, as the service stores them.
const KINDS: [&str; 9] = [
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

#[derive(Debug, Default, Deserialize)]
pub struct ChangesQuery {
    pub asset_id: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub min_severity: Option<String>,
    pub acked: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

fn given(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl ChangesQuery {
    fn filter(&self) -> Result<ChangeFilter, PageError> {
        let asset_id = given(&self.asset_id)
            .map(|id| {
                parse_id::<AssetId>(id)
                    .map_err(|_| PageError::bad_request("The asset filter is not an asset id."))
            })
            .transpose()?;
        let kinds = match given(&self.kind) {
            Some(kind) if KINDS.contains(&kind) => vec![kind.to_string()],
            Some(_) => return Err(PageError::bad_request("Unknown change type.")),
            None => Vec::new(),
        };
        let min_severity = given(&self.min_severity)
            .map(|s| {
                Severity::parse(s).ok_or_else(|| {
                    PageError::bad_request("Severity must be info, low, medium, high or critical.")
                })
            })
            .transpose()?;
        let acked = match given(&self.acked) {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(_) => return Err(PageError::bad_request("Acknowledged must be yes or no.")),
        };
        Ok(ChangeFilter { asset_id, kinds, min_severity, acked, ..ChangeFilter::default() })
    }

    fn page(&self) -> Result<PageRequest, PageError> {
        let limit = given(&self.limit)
            .map(|l| {
                l.parse::<u32>()
                    .map_err(|_| PageError::bad_request("The page size is not a number."))
            })
            .transpose()?;
        Ok(PageRequest::new(limit, self.cursor.clone())?)
    }

    /// The filters as a query string (without the cursor).
    pub fn filter_query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("asset_id", &self.asset_id),
            ("type", &self.kind),
            ("min_severity", &self.min_severity),
            ("acked", &self.acked),
            ("limit", &self.limit),
        ]
        .into_iter()
        .filter_map(|(k, v)| given(v).map(|v| (k, v)))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    pub fn is(&self, field: &str, value: &str) -> bool {
        let field = match field {
            "type" => &self.kind,
            "min_severity" => &self.min_severity,
            _ => &self.acked,
        };
        given(field) == Some(value)
    }
}

#[derive(Template)]
#[template(path = "surface/changes.html")]
struct ChangesPage {
    layout: Layout,
    query: ChangesQuery,
    /// The asset the list is filtered by: its id and value.
    asset: Option<(String, String)>,
    rows: Vec<ChangeRow>,
    next: Option<String>,
    back: String,
    error: Option<String>,
    can_ack: bool,
    kinds: [&'static str; 9],
    severities: [Severity; 5],
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageQuery(query): PageQuery<ChangesQuery>,
) -> Result<Html<String>, PageError> {
    let layout = Layout::load(&state, &viewer, "changes", "Changes").await?;
    let (rows, next, asset, error) = match list(&state, &viewer, &query).await {
        Ok((rows, next, asset)) => (rows, next, asset, None),
        Err(refused) => match refused.form_errors() {
            Some((detail, _)) => (Vec::new(), None, None, Some(detail)),
            None => return Err(refused),
        },
    };
    let filter = query.filter_query();
    let next = next.map(|cursor| {
        let cursor = serde_urlencoded::to_string([("cursor", cursor)]).unwrap_or_default();
        if filter.is_empty() {
            format!("/changes?{cursor}")
        } else {
            format!("/changes?{filter}&{cursor}")
        }
    });
    let page = ChangesPage {
        layout,
        back: with_query("/changes", &filter),
        query,
        asset,
        rows,
        next,
        error,
        can_ack: viewer.can(Permission::CHANGES_ACK),
        kinds: KINDS,
        severities: Severity::ALL,
    };
    Ok(Html(page.render()?))
}

type Listed = (Vec<ChangeRow>, Option<String>, Option<(String, String)>);

async fn list(
    state: &AppState,
    viewer: &Viewer,
    query: &ChangesQuery,
) -> Result<Listed, PageError> {
    let filter = query.filter()?;
    let page = query.page()?;
    let surface = &state.services.surface;
    let asset = match filter.asset_id {
        None => None,
        Some(id) => match surface.asset(&viewer.principal, id).await {
            Ok(asset) => Some((id.to_string(), asset.value.to_string())),
            Err(SurfaceError::NotFound(_)) => Some((id.to_string(), "an unknown asset".into())),
            Err(other) => return Err(other.into()),
        },
    };
    let found = surface.list_changes(&viewer.principal, &filter, &page).await?;
    let rows = found.items.into_iter().map(ChangeRow::from).collect();
    Ok((rows, found.next_cursor, asset))
}
