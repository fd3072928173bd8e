//! `/v1/channels`: where a tenant's events go (signed webhooks, Slack, email). Create (a webhook's
//! signing secret is shown in that response only), list, show, change, delete, and send a test
//! event, all with `CHANNELS_MANAGE`. Handlers only translate HTTP to `Notify` calls; no response
//! here ever carries a stored secret (nor a Slack URL, which is one).

pub mod create;
pub mod delete;
pub mod get_one;
pub mod list;
pub mod test;
pub mod update;

use crate::guard;
use chrono::{DateTime, Utc};
use edge::ApiError;
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use notify::model::{Channel, ChannelSettings};
use notify::service::input::ChannelInput;
use platform::access::Permission;
use platform::{ChannelId, FieldCode, Secret};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let manage = || Access::Permission(Permission::CHANNELS_MANAGE);
    OpenApiRouter::new()
        .routes(guard(manage(), Tier::General, routes!(create::create, list::list)))
        .routes(guard(
            manage(),
            Tier::General,
            routes!(get_one::get_one, update::update, delete::delete),
        ))
        .routes(guard(manage(), Tier::General, routes!(test::test)))
}

/// A channel to create, or the changes to one (absent fields stay as they are).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelRequest {
    /// 1 to 100 characters, unique in the tenant. Required on creation.
    pub name: Option<String>,
    /// `webhook`, `slack` or `email`. Required on creation; cannot change.
    pub kind: Option<String>,
    /// Default true.
    pub enabled: Option<bool>,
    /// Event types sent to the channel (at most 50); empty or absent: all.
    pub event_types: Option<Vec<String>>,
    /// `info` (default), `low`, `medium`, `high` or `critical`: less severe events are not sent.
    pub min_severity: Option<String>,
    /// webhook: the endpoint; slack: the incoming-webhook URL (kept secret). `http(s)`, checked
    /// against the outbound policy now and at every send.
    pub url: Option<String>,
    /// email: the SMTP server, checked against the outbound policy.
    pub smtp_host: Option<String>,
    /// email: default 587 (starttls), 465 (tls) or 25 (none).
    pub smtp_port: Option<i64>,
    /// email: `starttls` (default), `tls`, or `none` (allowlisted servers only).
    pub tls: Option<String>,
    /// email: SMTP user name; empty removes it.
    pub username: Option<String>,
    /// email: SMTP password (stored encrypted, never shown); empty removes it.
    pub password: Option<String>,
    /// email: the sender, e.g. `Palisade <palisade@example.com>`.
    pub from: Option<String>,
    /// email: 1 to 20 recipients.
    pub to: Option<Vec<String>>,
}

impl ChannelRequest {
    pub fn into_input(self) -> Result<ChannelInput, ApiError> {
        let smtp_port = match self.smtp_port {
            None => None,
            Some(port) => Some(u16::try_from(port).ok().filter(|p| *p != 0).ok_or_else(|| {
                ApiError::from(platform::Invalid::new(
                    "smtp_port",
                    FieldCode::OUT_OF_RANGE,
                    "a port from 1 to 65535",
                ))
            })?),
        };
        Ok(ChannelInput {
            name: self.name,
            kind: self.kind,
            enabled: self.enabled,
            event_types: self.event_types,
            min_severity: self.min_severity,
            url: self.url,
            smtp_host: self.smtp_host,
            smtp_port,
            tls: self.tls,
            username: self.username,
            password: self.password.map(Secret::new),
            from: self.from,
            to: self.to,
        })
    }
}

/// A channel as its managers see it: never its secret.
#[derive(Serialize, ToSchema)]
pub struct ChannelItem {
    pub id: ChannelId,
    pub name: String,
    /// `webhook`, `slack` or `email`.
    pub kind: String,
    pub enabled: bool,
    /// Empty: every event type.
    pub event_types: Vec<String>,
    pub min_severity: String,
    /// The kind's settings without secrets: webhook `{url}`; slack `{host}`; email
    /// `{smtp_host, smtp_port, tls, username, from, to, has_password}`.
    #[schema(value_type = Object)]
    pub settings: serde_json::Value,
    /// The id of the key the channel's secret is encrypted with (none: no secret).
    pub secret_key_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Channel> for ChannelItem {
    fn from(channel: Channel) -> Self {
        let mut settings = channel.settings.to_json();
        if let (ChannelSettings::Email(_), Some(object)) =
            (&channel.settings, settings.as_object_mut())
        {
            object.insert("has_password".into(), json!(channel.sealed.is_some()));
        }
        ChannelItem {
            id: channel.id,
            name: channel.name.clone(),
            kind: channel.kind().as_str().to_string(),
            enabled: channel.enabled,
            event_types: channel.event_types.clone(),
            min_severity: channel.min_severity.as_str().to_string(),
            settings,
            secret_key_id: channel.sealed.map(|s| s.key_id),
            created_at: channel.created_at,
            updated_at: channel.updated_at,
        }
    }
}
