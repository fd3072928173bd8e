//! `GET /alerts`: the queue, newest first, with the API's filters kept in the URL (so a filtered
//! view can be bookmarked and shared) and cursor paging. Rows can be selected for the bulk
//! actions when the user may use them.

use crate::error::PageError;
use crate::layout::Layout;
use crate::pages::dashboard::severity_class;
use crate::query::PageQuery;
use crate::session::Viewer;
use alerts::model::{AlertFilter, AlertSummary, FilterInput};
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use edge::AppState;
use platform::PageRequest;
use platform::access::Permission;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    pub status: Option<String>,
    pub severity: Option<String>,
    pub min_severity: Option<String>,
    pub source: Option<String>,
    pub assignee: Option<String>,
    pub rule: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub observable: Option<String>,
    pub q: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

impl QueueQuery {
    fn input(&self) -> FilterInput {
        let keep = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        FilterInput {
            status: keep(&self.status),
            severity: keep(&self.severity),
            min_severity: keep(&self.min_severity),
            source: keep(&self.source),
            assignee: keep(&self.assignee),
            rule: keep(&self.rule),
            from: keep(&self.from),
            to: keep(&self.to),
            observable: keep(&self.observable),
            q: keep(&self.q),
            ..FilterInput::default()
        }
    }

    /// The filter as a query string, for the next page's link.
    fn filter_query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("status", &self.status),
            ("severity", &self.severity),
            ("min_severity", &self.min_severity),
            ("source", &self.source),
            ("assignee", &self.assignee),
            ("rule", &self.rule),
            ("from", &self.from),
            ("to", &self.to),
            ("observable", &self.observable),
            ("q", &self.q),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| (k, v)))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

pub struct Row {
    pub alert: AlertSummary,
    pub severity_class: &'static str,
    pub mine: bool,
}

#[derive(Template)]
#[template(path = "alerts/queue.html")]
struct QueuePage {
    layout: Layout,
    query: QueueQuery,
    rows: Vec<Row>,
    next: Option<String>,
    /// This view, for the bulk form to come back to.
    back: String,
    error: Option<String>,
    can_bulk: bool,
    statuses: [&'static str; 4],
    sources: [&'static str; 7],
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageQuery(query): PageQuery<QueueQuery>,
) -> Result<Html<String>, PageError> {
    let layout = Layout::load(&state, &viewer, "alerts", "Alert queue").await?;
    let (rows, next, error) = match list(&state, &viewer, &query).await {
        Ok((rows, next)) => (rows, next, None),
        Err(refused) => match refused.form_errors() {
            Some((detail, _)) => (Vec::new(), None, Some(detail)),
            None => return Err(refused),
        },
    };
    let next = next.map(|cursor| {
        let filter = query.filter_query();
        let cursor = serde_urlencoded::to_string([("cursor", cursor)]).unwrap_or_default();
        if filter.is_empty() {
            format!("/alerts?{cursor}")
        } else {
            format!("/alerts?{filter}&{cursor}")
        }
    });
    let back = match query.filter_query() {
        filter if filter.is_empty() => "/alerts".to_string(),
        filter => format!("/alerts?{filter}"),
    };
    let can_bulk = viewer.can(Permission::ALERTS_BULK) && viewer.can(Permission::ALERTS_TRIAGE);
    let page = QueuePage {
        layout,
        query,
        rows,
        next,
        back,
        error,
        can_bulk,
        statuses: ["new", "acknowledged", "investigating", "closed"],
        sources: alerts::model::filter::SOURCES,
    };
    Ok(Html(page.render()?))
}

async fn list(
    state: &AppState,
    viewer: &Viewer,
    query: &QueueQuery,
) -> Result<(Vec<Row>, Option<String>), PageError> {
    let filter = AlertFilter::parse(&query.input())?;
    let page = PageRequest::new(query.limit, query.cursor.clone())?;
    let found = state.services.alerts.list_alerts(&viewer.principal, &filter, &page).await?;
    let me = viewer.principal.user;
    let rows = found
        .items
        .into_iter()
        .map(|alert| Row {
            severity_class: severity_class(alert.severity),
            mine: me.is_some() && alert.assignee_id == me,
            alert,
        })
        .collect();
    Ok((rows, found.next_cursor))
}
