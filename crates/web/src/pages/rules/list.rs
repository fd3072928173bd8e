//! `GET /rules`: the tenant's detection rules, newest first — title, level, whether each is on,
//! when it last changed — filtered by enabled/disabled in the URL, with cursor paging. A user who
//! may manage rules gets a "New rule" link and an enable/disable button per row; anyone who may
//! read alerts sees the list (the service decides both).

use crate::error::PageError;
use crate::layout::Layout;
use crate::pages::dashboard::severity_class;
use crate::query::PageQuery;
use crate::session::Viewer;
use alerts::model::DetectionRule;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use edge::AppState;
use platform::PageRequest;
use platform::access::Permission;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// `on`, `off` or empty (every rule).
    pub enabled: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

pub struct Row {
    pub rule: DetectionRule,
    pub level_class: &'static str,
}

#[derive(Template)]
#[template(path = "rules/list.html")]
struct ListPage {
    layout: Layout,
    enabled: String,
    rows: Vec<Row>,
    next: Option<String>,
    error: Option<String>,
    can_manage: bool,
}

/// `on` / `off` as the service's filter; anything else is explained on the page.
fn enabled_filter(text: Option<&str>) -> Result<Option<bool>, PageError> {
    match text.map(str::trim).unwrap_or_default() {
        "" => Ok(None),
        "on" => Ok(Some(true)),
        "off" => Ok(Some(false)),
        _ => Err(platform::Invalid::new(
            "enabled",
            platform::FieldCode::OUT_OF_RANGE,
            "show rules that are on, off, or all of them",
        )
        .into()),
    }
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<Html<String>, PageError> {
    let layout = Layout::load(&state, &viewer, "rules", "Detection rules").await?;
    let (rows, next, error) = match list(&state, &viewer, &query).await {
        Ok((rows, next)) => (rows, next, None),
        Err(refused) => match refused.form_errors() {
            Some((detail, _)) => (Vec::new(), None, Some(detail)),
            None => return Err(refused),
        },
    };
    let enabled = match query.enabled.as_deref().map(str::trim) {
        Some(value @ ("on" | "off")) => value.to_string(),
        _ => String::new(),
    };
    let next = next.map(|cursor| {
        let mut pairs = vec![("cursor", cursor)];
        if !enabled.is_empty() {
            pairs.insert(0, ("enabled", enabled.clone()));
        }
        format!("/rules?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
    });
    let page = ListPage {
        layout,
        enabled,
        rows,
        next,
        error,
        can_manage: viewer.can(Permission::RULES_MANAGE),
    };
    Ok(Html(page.render()?))
}

async fn list(
    state: &AppState,
    viewer: &Viewer,
    query: &ListQuery,
) -> Result<(Vec<Row>, Option<String>), PageError> {
    let enabled = enabled_filter(query.enabled.as_deref())?;
    let page = PageRequest::new(query.limit, query.cursor.clone())?;
    let found = state.services.alerts.list_rules(&viewer.principal, enabled, &page).await?;
    let rows = found
        .items
        .into_iter()
        .map(|rule| Row { level_class: severity_class(rule.level), rule })
        .collect();
    Ok((rows, found.next_cursor))
}
