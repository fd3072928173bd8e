//! `GET /rules/new` and `GET /rules/{id}`: a rule's form — its Sigma YAML in a textarea, its
//! exceptions (JSON), whether it is on — with the test box for sample events. `render` draws it
//! for the save and test actions too, with what the user typed kept and the refusal beside its
//! field: a rule that does not compile shows the parser's message and the line it points at.
//! Users without `RULES_MANAGE` see a stored rule read-only and cannot open the new-rule form.

use super::refused_line;
use crate::error::PageError;
use crate::form::parse_id;
use crate::layout::Layout;
use crate::notice::Notice;
use crate::pages::dashboard::severity_class;
use crate::query::PageQuery;
use crate::session::Viewer;
use alerts::model::{DetectionRule, DetectionRuleId};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use detect::sigma::EventVerdict;
use edge::{ApiError, AppState};
use platform::access::Permission;
use serde::Deserialize;

/// What the form holds: which rule (none: a new one), the fields as typed, and what the last
/// action said.
#[derive(Debug, Default)]
pub struct Draft {
    pub id: Option<DetectionRuleId>,
    pub yaml: String,
    pub exceptions: String,
    pub enabled: bool,
    pub events: String,
    pub notice: Notice,
    pub verdicts: Option<Vec<VerdictRow>>,
    /// "created" or "updated" after a save.
    pub saved: Option<&'static str>,
}

impl Draft {
    /// The stored rule in the form.
    fn of(rule: &DetectionRule) -> Draft {
        let exceptions = match rule.exceptions.is_empty() {
            true => String::new(),
            false => serde_json::to_string_pretty(&rule.exceptions).unwrap_or_default(),
        };
        Draft {
            id: Some(rule.id),
            yaml: rule.yaml.clone(),
            exceptions,
            enabled: rule.enabled,
            ..Draft::default()
        }
    }
}

/// One sample event's verdict, as the test box lists it.
#[derive(Debug)]
pub struct VerdictRow {
    pub event: usize,
    pub matched: bool,
    /// `selection: yes, filter: no`.
    pub selections: String,
    pub note: String,
}

impl From<EventVerdict> for VerdictRow {
    fn from(verdict: EventVerdict) -> Self {
        let selections = verdict
            .selections
            .iter()
            .map(|(name, hit)| format!("{name}: {}", if *hit { "yes" } else { "no" }))
            .collect::<Vec<_>>()
            .join(", ");
        let note = match (verdict.error, verdict.skipped, verdict.excepted_by) {
            (Some(error), _, _) => format!("not read: {error}"),
            (None, Some(why), _) => format!("not applicable: {why}"),
            (None, None, Some(index)) => format!("silenced by exception {}", index + 1),
            (None, None, None) => String::new(),
        };
        VerdictRow { event: verdict.line, matched: verdict.matched, selections, note }
    }
}

#[derive(Template)]
#[template(path = "rules/edit.html")]
struct EditPage {
    layout: Layout,
    rule: Option<DetectionRule>,
    level_class: &'static str,
    action: String,
    draft: Draft,
    /// The line the parser's message points at, and its text.
    refused: Option<(usize, String)>,
    exception_errors: Vec<String>,
    matched: usize,
    can_manage: bool,
}

/// The form for `draft`, with the stored rule's facts when it names one (another tenant's rule
/// is not found).
pub async fn render(state: &AppState, viewer: &Viewer, draft: Draft) -> Result<String, PageError> {
    let rule = match draft.id {
        Some(id) => Some(state.services.alerts.rule(&viewer.principal, id).await?),
        None => None,
    };
    render_with(state, viewer, rule, draft).await
}

/// The form for `draft` about `rule`, already read.
async fn render_with(
    state: &AppState,
    viewer: &Viewer,
    rule: Option<DetectionRule>,
    draft: Draft,
) -> Result<String, PageError> {
    let title = rule.as_ref().map_or("New detection rule".to_string(), |r| r.title.clone());
    let layout = Layout::load(state, viewer, "rules", title).await?;
    let refused = draft.notice.field("yaml").and_then(refused_line).and_then(|line| {
        let text = draft.yaml.lines().nth(line - 1)?;
        Some((line, text.chars().take(200).collect()))
    });
    let page = EditPage {
        layout,
        level_class: rule.as_ref().map_or("sev-info", |r| severity_class(r.level)),
        action: rule.as_ref().map_or("/rules".to_string(), |r| format!("/rules/{}", r.id)),
        rule,
        refused,
        exception_errors: super::exception_errors(&draft.notice),
        matched: draft.verdicts.iter().flatten().filter(|v| v.matched).count(),
        can_manage: viewer.can(Permission::RULES_MANAGE),
        draft,
    };
    Ok(page.render()?)
}

pub async fn new(State(state): State<AppState>, viewer: Viewer) -> Result<Html<String>, PageError> {
    // The form would only be refused on saving; say so before anything is typed.
    viewer.principal.require(Permission::RULES_MANAGE).map_err(ApiError::from)?;
    let draft = Draft { enabled: true, ..Draft::default() };
    Ok(Html(render(&state, &viewer, draft).await?))
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    pub saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    PageQuery(query): PageQuery<ShowQuery>,
) -> Result<Html<String>, PageError> {
    let id: DetectionRuleId = parse_id(&id)?;
    let rule = state.services.alerts.rule(&viewer.principal, id).await?;
    let saved = match query.saved.as_deref() {
        Some("created") => Some("created"),
        Some("updated") => Some("updated"),
        _ => None,
    };
    let draft = Draft { saved, ..Draft::of(&rule) };
    Ok(Html(render_with(&state, &viewer, Some(rule), draft).await?))
}
