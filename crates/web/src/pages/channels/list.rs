//! `GET /channels`: the tenant's channels, newest first (name, kind, where it sends, its filters,
//! whether it is on), and the three forms that add one: a webhook (URL), a Slack incoming webhook
//! (URL, kept secret) and an email channel (SMTP relay and addresses), each with the minimum
//! severity and event types it receives. `render` draws the page for the create action too, with
//! what was typed kept (never a password) and the refusal on the form it concerns.

use crate::error::PageError;
use crate::layout::Layout;
use crate::notice::Notice;
use crate::query::PageQuery;
use crate::session::Viewer;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use edge::AppState;
use notify::model::Channel;
use platform::PageRequest;
use platform::outbox::Severity;
use serde::Deserialize;

/// One add form, as typed (the password is never sent back).
#[derive(Debug, Default)]
pub struct AddForm {
    /// `webhook`, `slack` or `email`.
    pub kind: &'static str,
    pub name: String,
    pub url: String,
    pub min_severity: String,
    pub event_types: String,
    pub smtp_host: String,
    pub smtp_port: String,
    pub tls: String,
    pub username: String,
    pub from: String,
    pub to: String,
    pub notice: Notice,
}

impl AddForm {
    pub fn heading(&self) -> &'static str {
        match self.kind {
            "slack" => "Add a Slack channel",
            "email" => "Add an email channel",
            _ => "Add a webhook",
        }
    }
}

/// The kind of channel a form adds (an unknown kind: the webhook form's).
pub fn form_kind(kind: &str) -> &'static str {
    match kind {
        "slack" => "slack",
        "email" => "email",
        _ => "webhook",
    }
}

/// The three add forms, empty but `posted`, which takes the place of its kind.
pub fn add_forms(posted: Option<AddForm>) -> Vec<AddForm> {
    let mut forms: Vec<AddForm> = ["webhook", "slack", "email"]
        .into_iter()
        .map(|kind| AddForm { kind, ..AddForm::default() })
        .collect();
    if let Some(posted) = posted
        && let Some(slot) = forms.iter_mut().find(|f| f.kind == posted.kind)
    {
        *slot = posted;
    }
    forms
}

pub struct Row {
    pub channel: Channel,
    pub target: String,
    pub filters: String,
}

/// Where a channel sends, without secrets: a webhook's host, a Slack host, an SMTP relay.
pub fn target(channel: &Channel) -> String {
    match &channel.settings {
        notify::model::ChannelSettings::Email(email) => {
            format!("{} → {}", email.smtp_host, email.to.join(", "))
        }
        settings => settings.host(),
    }
}

/// What a channel receives, in words.
pub fn filters(channel: &Channel) -> String {
    let types = match channel.event_types.is_empty() {
        true => "every event type".to_string(),
        false => channel.event_types.join(", "),
    };
    match channel.min_severity {
        Severity::Info => types,
        at_least => format!("{types}, {at_least} and above"),
    }
}

#[derive(Template)]
#[template(path = "channels/list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    next: Option<String>,
    forms: Vec<AddForm>,
    severities: [Severity; 5],
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

/// The page with `forms`; the list is read by the service (`CHANNELS_MANAGE`).
pub async fn render(
    state: &AppState,
    viewer: &Viewer,
    query: &ListQuery,
    forms: Vec<AddForm>,
) -> Result<String, PageError> {
    let page = PageRequest::new(query.limit, query.cursor.clone())?;
    let found = state.services.notify.list_channels(&viewer.principal, &page).await?;
    let layout = Layout::load(state, viewer, "channels", "Channels").await?;
    let rows = found
        .items
        .into_iter()
        .map(|channel| Row { target: target(&channel), filters: filters(&channel), channel })
        .collect();
    let next = found.next_cursor.map(|cursor| {
        format!(
            "/channels?{}",
            serde_urlencoded::to_string([("cursor", cursor)]).unwrap_or_default()
        )
    });
    let page = ListPage { layout, rows, next, forms, severities: Severity::ALL };
    Ok(page.render()?)
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<Html<String>, PageError> {
    Ok(Html(render(&state, &viewer, &query, add_forms(None)).await?))
}
