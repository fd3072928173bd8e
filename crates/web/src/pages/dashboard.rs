//! `/`: the dashboard — open alerts by severity, the alert trend over 7 or 30 days, SLA breaches,
//! this week's changes, certificates expiring soon and the last scans. Each panel appears only
//! when the user may read what it shows.

use super::tiered;
use crate::charts::{Bar, bars};
use crate::error::PageError;
use crate::layout::Layout;
use crate::query::PageQuery;
use crate::session::Viewer;
use alerts::model::StatsRange;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use chrono::{Duration, Utc};
use detect::Severity;
use edge::AppState;
use edge::rate_limit::Tier;
use platform::PageRequest;
use platform::access::Permission;
use platform::time::Timestamp;
use serde::Deserialize;
use surface::model::{Change, ChangeFilter, Scan};

pub fn routes() -> Router<AppState> {
    Router::new().route("/", tiered(Tier::General, get(show)))
}

#[derive(Debug, Deserialize)]
pub struct Range {
    days: Option<u16>,
}

pub struct AlertPanels {
    pub open_chart: String,
    pub open_total: i64,
    pub trend_chart: String,
    pub days: u16,
    pub ack_breaches: i64,
    pub close_breaches: i64,
    pub mtta: String,
}

pub struct SurfacePanels {
    pub changes: Vec<Change>,
    pub expiring: Vec<Change>,
    pub scans: Vec<Scan>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    layout: Layout,
    alerts: Option<AlertPanels>,
    surface: Option<SurfacePanels>,
}

/// CSS class of a severity's bars and badges.
pub fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Unknown | Severity::Informational => "sev-info",
        Severity::Low => "sev-low",
        Severity::Medium => "sev-medium",
        Severity::High => "sev-high",
        Severity::Critical | Severity::Fatal => "sev-critical",
    }
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageQuery(range): PageQuery<Range>,
) -> Result<Html<String>, PageError> {
    let layout = Layout::load(&state, &viewer, "dashboard", "Dashboard").await?;
    let days = if range.days == Some(30) { 30 } else { 7 };
    let alerts = match viewer.can(Permission::ALERTS_VIEW) {
        true => Some(alert_panels(&state, &viewer, days).await?),
        false => None,
    };
    let surface = match viewer.can(Permission::ASSETS_VIEW) {
        true => Some(surface_panels(&state, &viewer).await?),
        false => None,
    };
    Ok(Html(Dashboard { layout, alerts, surface }.render()?))
}

async fn alert_panels(
    state: &AppState,
    viewer: &Viewer,
    days: u16,
) -> Result<AlertPanels, PageError> {
    let service = &state.services.alerts;
    let principal = &viewer.principal;
    let all = service.stats(principal, StatsRange { from: None, to: None }).await?;
    let open: Vec<Bar> = Severity::ALL
        .into_iter()
        .rev()
        .filter(|s| *s != Severity::Unknown)
        .map(|severity| {
            let counts = all.by_severity.get(&severity).copied().unwrap_or_default();
            let value = counts.total() - counts.closed;
            Bar { label: severity.caption().to_string(), value, class: severity_class(severity) }
        })
        .collect();
    let trend: Vec<Bar> = service
        .daily_trend(principal, days)
        .await?
        .into_iter()
        .map(|(day, value)| Bar { label: day.format("%m-%d").to_string(), value, class: "trend" })
        .collect();
    let month = StatsRange { from: Some(Utc::now() - Duration::days(30)), to: None };
    let recent = service.stats(principal, month).await?;
    Ok(AlertPanels {
        open_total: open.iter().map(|b| b.value).sum(),
        open_chart: bars("Open alerts by severity", &open, 420, 1),
        trend_chart: bars(
            &format!("Alerts created per day, last {days} days"),
            &trend,
            420,
            if days > 7 { 5 } else { 1 },
        ),
        days,
        ack_breaches: recent.ack_breaches,
        close_breaches: recent.close_breaches,
        mtta: recent.mtta_seconds.map(human_seconds).unwrap_or_else(|| "—".into()),
    })
}

async fn surface_panels(state: &AppState, viewer: &Viewer) -> Result<SurfacePanels, PageError> {
    let service = &state.services.surface;
    let principal = &viewer.principal;
    let week = ChangeFilter {
        since: Some(Timestamp::saturating(Utc::now() - Duration::days(7))),
        ..ChangeFilter::default()
    };
    let changes = service.list_changes(principal, &week, &PageRequest::first(10)).await?.items;
    let certificates = ChangeFilter {
        kinds: vec!["CERT_EXPIRING".into()],
        acked: Some(false),
        ..ChangeFilter::default()
    };
    let expiring =
        service.list_changes(principal, &certificates, &PageRequest::first(10)).await?.items;
    let scans = service.latest_scans(principal, 5).await?;
    Ok(SurfacePanels { changes, expiring, scans })
}

/// A duration in the largest unit that keeps it readable.
pub fn human_seconds(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as i64;
    match s {
        0..=119 => format!("{s} s"),
        120..=7199 => format!("{} min", s / 60),
        7200..=172_799 => format!("{} h", s / 3600),
        _ => format!("{} d", s / 86_400),
    }
}
