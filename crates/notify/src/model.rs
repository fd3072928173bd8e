//! Notify's typed values: channel kinds and their non-secret settings, delivery statuses, and the
//! channel, event and delivery entities as the service hands them out. Parsing untrusted input
//! into these lives in `service::input`; SQL lives in `store`.

use chrono::{DateTime, Utc};
use platform::outbox::Severity;
use platform::sealing::Sealed;
use platform::{ChannelId, DeliveryId, EventId, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChannelKind {
    Webhook,
    Slack,
    Email,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 3] =
        [ChannelKind::Webhook, ChannelKind::Slack, ChannelKind::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Webhook => "webhook",
            ChannelKind::Slack => "slack",
            ChannelKind::Email => "email",
        }
    }

    pub fn parse(text: &str) -> Option<ChannelKind> {
        ChannelKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// How an email channel secures its SMTP connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587 by default).
    StartTls,
    /// TLS from the first byte (port 465 by default).
    Tls,
    /// No TLS: only to allowlisted addresses (a lab or test relay).
    None,
}

impl TlsMode {
    pub fn parse(text: &str) -> Option<TlsMode> {
        match text {
            "starttls" => Some(TlsMode::StartTls),
            "tls" => Some(TlsMode::Tls),
            "none" => Some(TlsMode::None),
            _ => None,
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            TlsMode::StartTls => 587,
            TlsMode::Tls => 465,
            TlsMode::None => 25,
        }
    }
}

/// A webhook's settings; its signing secret is sealed apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSettings {
    pub url: String,
}

/// A Slack channel's settings: only the host of its incoming-webhook URL (the URL itself is a
/// secret and is sealed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlackSettings {
    pub host: String,
}

/// An email channel's settings; its SMTP password (if any) is sealed apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailSettings {
    pub smtp_host: String,
    pub smtp_port: u16,
    pub tls: TlsMode,
    pub username: Option<String>,
    pub from: String,
    pub to: Vec<String>,
}

/// The non-secret settings of a channel, stored as `channels.settings`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChannelSettings {
    Webhook(WebhookSettings),
    Slack(SlackSettings),
    Email(EmailSettings),
}

impl ChannelSettings {
    pub fn kind(&self) -> ChannelKind {
        match self {
            ChannelSettings::Webhook(_) => ChannelKind::Webhook,
            ChannelSettings::Slack(_) => ChannelKind::Slack,
            ChannelSettings::Email(_) => ChannelKind::Email,
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        let value = match self {
            ChannelSettings::Webhook(s) => serde_json::to_value(s),
            ChannelSettings::Slack(s) => serde_json::to_value(s),
            ChannelSettings::Email(s) => serde_json::to_value(s),
        };
        value.unwrap_or_default()
    }

    pub fn from_json(kind: ChannelKind, value: serde_json::Value) -> serde_json::Result<Self> {
        Ok(match kind {
            ChannelKind::Webhook => ChannelSettings::Webhook(serde_json::from_value(value)?),
            ChannelKind::Slack => ChannelSettings::Slack(serde_json::from_value(value)?),
            ChannelKind::Email => ChannelSettings::Email(serde_json::from_value(value)?),
        })
    }

    /// The host a delivery connects to, for summaries and error messages.
    pub fn host(&self) -> String {
        match self {
            ChannelSettings::Webhook(s) => url_host(&s.url),
            ChannelSettings::Slack(s) => s.host.clone(),
            ChannelSettings::Email(s) => s.smtp_host.clone(),
        }
    }
}

/// The host of an `http(s)` URL as written (never its path, query or credentials).
pub fn url_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    if authority.starts_with('[') {
        return authority.find(']').map_or(authority, |end| &authority[..=end]).to_string();
    }
    authority.split_once(':').map_or(authority, |(host, _)| host).to_ascii_lowercase()
}

/// A channel as its managers see it: never a secret.
#[derive(Clone, Debug)]
pub struct Channel {
    pub id: ChannelId,
    pub name: String,
    pub enabled: bool,
    /// Empty: every event type.
    pub event_types: Vec<String>,
    pub min_severity: Severity,
    pub settings: ChannelSettings,
    /// The sealed secret (webhook signing secret, Slack URL, SMTP password), if any.
    pub sealed: Option<Sealed>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Channel {
    pub fn kind(&self) -> ChannelKind {
        self.settings.kind()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryStatus {
    Pending,
    Delivering,
    Delivered,
    Failed,
    Dead,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 5] = [
        DeliveryStatus::Pending,
        DeliveryStatus::Delivering,
        DeliveryStatus::Delivered,
        DeliveryStatus::Failed,
        DeliveryStatus::Dead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivering => "delivering",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Dead => "dead",
        }
    }

    pub fn parse(text: &str) -> Option<DeliveryStatus> {
        DeliveryStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// An event as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRow {
    pub id: EventId,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub severity: String,
    pub title: String,
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// A delivery as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: DeliveryId,
    pub event_id: EventId,
    pub channel_id: ChannelId,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Filters of the events list; `None` does not filter.
#[derive(Clone, Debug, Default)]
pub struct EventFilter {
    pub kind: Option<String>,
    pub min_severity: Option<Severity>,
    pub since: Option<Timestamp>,
}

/// Filters of the deliveries list; `None` does not filter.
#[derive(Clone, Debug, Default)]
pub struct DeliveryFilter {
    pub status: Option<DeliveryStatus>,
    pub channel_id: Option<ChannelId>,
    pub event_id: Option<EventId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_host_never_carries_path_query_or_credentials() {
        assert_eq!(url_host("https://hooks.slack.com/services/T0/B0/secret"), "hooks.slack.com");
        assert_eq!(url_host("http://user:pw@Example.COM:8080/x?token=1"), "example.com");
        assert_eq!(url_host("http://[::1]:9000/hook"), "[::1]");
        assert_eq!(url_host("http://127.0.0.1?q"), "127.0.0.1");
    }

    #[test]
    fn settings_round_trip_through_json_by_kind() {
        let email = ChannelSettings::Email(EmailSettings {
            smtp_host: "smtp.example.com".into(),
            smtp_port: 587,
            tls: TlsMode::StartTls,
            username: Some("bot".into()),
            from: "Palisade <bot@example.com>".into(),
            to: vec!["soc@example.com".into()],
        });
        let json = email.to_json();
        assert_eq!(json["tls"], "starttls");
        assert_eq!(ChannelSettings::from_json(ChannelKind::Email, json).unwrap(), email);
        assert!(ChannelSettings::from_json(ChannelKind::Webhook, serde_json::json!({})).is_err());
    }
}
