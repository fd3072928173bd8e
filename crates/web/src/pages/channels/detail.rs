//! `GET /channels/{id}`: one channel — where it sends (never a secret), what it receives, whether
//! it is on — with its recent deliveries and its dead ones (each with a Retry button), and the
//! Send test, Enable/Disable and Delete actions. `render` draws it for the actions too: with the
//! webhook signing secret just created (shown this once, with a copy button), a refusal or a
//! success. Another tenant's channel is not found. Deliveries need `EVENTS_VIEW` as well.

use super::list::filters;
use crate::error::PageError;
use crate::form::parse_id;
use crate::layout::Layout;
use crate::notice::Notice;
use crate::query::PageQuery;
use crate::session::Viewer;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use edge::AppState;
use notify::model::{Channel, ChannelSettings, DeliveryFilter, DeliveryRow, DeliveryStatus};
use platform::access::Permission;
use platform::{ChannelId, DeliveryId, PageRequest};
use serde::Deserialize;

/// Recent deliveries shown; dead ones are listed apart, up to the same number again.
const SHOWN: u32 = 25;

/// What the page says beside the channel: the secret just created, a refusal, a success.
#[derive(Debug, Default)]
pub struct Extras {
    pub secret: Option<String>,
    pub notice: Notice,
}

#[derive(Template)]
#[template(path = "channels/detail.html")]
struct DetailPage {
    layout: Layout,
    channel: Channel,
    kind: &'static str,
    /// (label, value) lines of the kind's settings.
    settings: Vec<(&'static str, String)>,
    filters: String,
    extras: Extras,
    /// `None` when the viewer may not read deliveries.
    recent: Option<Vec<DeliveryRow>>,
    dead: Vec<DeliveryRow>,
    /// A delivery is on its way: the list refreshes itself until none is.
    in_flight: bool,
}

/// The settings worth showing, without secrets (a Slack URL is one: only its host is kept).
fn settings(channel: &Channel) -> Vec<(&'static str, String)> {
    match &channel.settings {
        ChannelSettings::Webhook(webhook) => vec![("URL", webhook.url.clone())],
        ChannelSettings::Slack(slack) => vec![("Host", slack.host.clone())],
        ChannelSettings::Email(email) => {
            let tls = match email.tls {
                notify::model::TlsMode::StartTls => "STARTTLS",
                notify::model::TlsMode::Tls => "TLS",
                notify::model::TlsMode::None => "none",
            };
            let login = match (&email.username, channel.sealed.is_some()) {
                (Some(user), true) => format!("{user} (password set)"),
                (Some(user), false) => user.clone(),
                (None, _) => "none".to_string(),
            };
            vec![
                ("SMTP relay", format!("{}:{} ({tls})", email.smtp_host, email.smtp_port)),
                ("Login", login),
                ("From", email.from.clone()),
                ("To", email.to.join(", ")),
            ]
        }
    }
}

/// The channel's deliveries of `status` (any: `None`), newest first.
async fn deliveries(
    state: &AppState,
    viewer: &Viewer,
    channel: ChannelId,
    status: Option<DeliveryStatus>,
) -> Result<Vec<DeliveryRow>, PageError> {
    let filter = DeliveryFilter { status, channel_id: Some(channel), event_id: None };
    let page = PageRequest::first(SHOWN);
    let found = state.services.notify.list_deliveries(&viewer.principal, &filter, &page).await?;
    Ok(found.items)
}

/// The page of `channel` with `extras`.
pub async fn render(
    state: &AppState,
    viewer: &Viewer,
    channel: Channel,
    extras: Extras,
) -> Result<String, PageError> {
    let (recent, dead) = match viewer.can(Permission::EVENTS_VIEW) {
        true => (
            Some(deliveries(state, viewer, channel.id, None).await?),
            deliveries(state, viewer, channel.id, Some(DeliveryStatus::Dead)).await?,
        ),
        false => (None, Vec::new()),
    };
    let in_flight = recent
        .iter()
        .flatten()
        .any(|d| matches!(d.status.as_str(), "pending" | "delivering" | "failed"));
    let layout = Layout::load(state, viewer, "channels", channel.name.clone()).await?;
    let page = DetailPage {
        in_flight,
        layout,
        kind: channel.kind().as_str(),
        settings: settings(&channel),
        filters: filters(&channel),
        extras,
        recent,
        dead,
        channel,
    };
    Ok(page.render()?)
}

/// The page of channel `id` (read again: after an action, it shows what is now true).
pub async fn render_id(
    state: &AppState,
    viewer: &Viewer,
    id: ChannelId,
    extras: Extras,
) -> Result<String, PageError> {
    let channel = state.services.notify.channel(&viewer.principal, id).await?;
    render(state, viewer, channel, extras).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    /// The test delivery just queued.
    pub tested: Option<String>,
    /// The delivery just sent again.
    pub retried: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    PageQuery(query): PageQuery<ShowQuery>,
) -> Result<Html<String>, PageError> {
    let id: ChannelId = parse_id(&id)?;
    let delivery =
        |text: &Option<String>| text.as_deref().and_then(|t| parse_id::<DeliveryId>(t).ok());
    let notice = match (delivery(&query.tested), delivery(&query.retried)) {
        (Some(sent), _) => Notice::done(format!(
            "Test event queued as delivery {sent}; it appears below as it is sent."
        )),
        (None, Some(retried)) => Notice::done(format!(
            "Delivery {retried} is queued again with a fresh set of attempts."
        )),
        (None, None) => Notice::default(),
    };
    let page = render_id(&state, &viewer, id, Extras { notice, ..Extras::default() }).await?;
    Ok(Html(page))
}
