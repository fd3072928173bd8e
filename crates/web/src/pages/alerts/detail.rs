//! `GET /alerts/{id}`: one alert — its OCSF Detection Finding (title, description, analytic,
//! ATT&CK techniques, observables, resources), the raw payload, its history with comments, its
//! SLA due times, and the triage actions the user may take. Another tenant's alert is not found.

use crate::error::PageError;
use crate::form::parse_id;
use crate::layout::Layout;
use crate::pages::dashboard::severity_class;
use crate::session::Viewer;
use alerts::model::{Alert, AlertId};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use edge::AppState;
use platform::access::Permission;
use serde_json::Value;

pub struct Technique {
    pub tactic: String,
    pub uid: String,
    pub name: String,
}

pub struct ObservableRow {
    pub kind: String,
    pub name: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "alerts/detail.html")]
struct DetailPage {
    layout: Layout,
    alert: Alert,
    severity_class: &'static str,
    analytic: String,
    product: String,
    techniques: Vec<Technique>,
    observables: Vec<ObservableRow>,
    resources: Vec<String>,
    finding_json: String,
    raw_json: String,
    can_triage: bool,
}

fn text(value: &Value, pointer: &str) -> String {
    match value.pointer(pointer) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn techniques(finding: &Value) -> Vec<Technique> {
    let attacks = finding.pointer("/finding_info/attacks").and_then(Value::as_array);
    attacks
        .into_iter()
        .flatten()
        .map(|attack| Technique {
            tactic: text(attack, "/tactic/name"),
            uid: text(attack, "/technique/uid"),
            name: text(attack, "/technique/name"),
        })
        .collect()
}

fn observables(finding: &Value) -> Vec<ObservableRow> {
    let list = finding.pointer("/observables").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .map(|o| ObservableRow {
            kind: text(o, "/type"),
            name: text(o, "/name"),
            value: text(o, "/value"),
        })
        .collect()
}

fn resources(finding: &Value) -> Vec<String> {
    let list = finding.pointer("/resources").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .map(|r| {
            let (kind, name) = (text(r, "/type"), text(r, "/name"));
            let uid = text(r, "/uid");
            [kind, name, uid].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")
        })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Html<String>, PageError> {
    let id: AlertId = parse_id(&id)?;
    let alert = state.services.alerts.alert(&viewer.principal, id).await?;
    let layout = Layout::load(&state, &viewer, "alerts", alert.summary.title.clone()).await?;
    let finding = &alert.finding;
    let page = DetailPage {
        severity_class: severity_class(alert.summary.severity),
        analytic: text(finding, "/finding_info/analytic/name"),
        product: text(finding, "/metadata/product/name"),
        techniques: techniques(finding),
        observables: observables(finding),
        resources: resources(finding),
        finding_json: serde_json::to_string_pretty(finding).unwrap_or_default(),
        raw_json: serde_json::to_string_pretty(&alert.raw).unwrap_or_default(),
        can_triage: viewer.can(Permission::ALERTS_TRIAGE),
        layout,
        alert,
    };
    Ok(Html(page.render()?))
}
