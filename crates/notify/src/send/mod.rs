//! Sending one event to one channel, once: the webhook, Slack and email senders behind one
//! `Sender`, which bounds the whole attempt with a timeout.
//!
//! Every connection goes through the SSRF guard at the moment it is made and connects to the
//! checked addresses only; no redirect is followed; no proxy from the environment is used. A
//! `SendError` says what happened in words safe to store and show (`HTTP 500 from
//! hooks.example.com`): never a URL, a token or a secret.

mod clients;
pub mod email;
pub mod http;
pub mod slack;
pub mod webhook;

use crate::model::{Channel, ChannelSettings, EventRow};
use platform::outbound::OutboundPolicy;
use platform::{EventId, Secret, TenantId};
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;

/// Why an attempt failed, in words safe to store as `last_error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SendError(String);

impl SendError {
    pub fn new(message: impl Into<String>) -> Self {
        SendError(message.into())
    }
}

/// What one attempt sends: an event of a tenant, to a channel, with the channel's opened secret.
#[derive(Debug)]
pub struct Attempt<'a> {
    pub tenant: TenantId,
    pub event: &'a EventRow,
    pub channel: &'a Channel,
    pub secret: Option<&'a Secret<Vec<u8>>>,
}

/// The event as webhooks receive it (the JSON body that is signed).
#[derive(Debug, Serialize)]
pub struct Envelope<'a> {
    pub id: EventId,
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub severity: &'a str,
    pub title: &'a str,
    pub payload: &'a serde_json::Value,
    pub tenant_id: TenantId,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl<'a> Envelope<'a> {
    pub fn of(tenant: TenantId, event: &'a EventRow) -> Self {
        Envelope {
            id: event.id,
            kind: &event.kind,
            severity: &event.severity,
            title: &event.title,
            payload: &event.payload,
            tenant_id: tenant,
            created_at: event.created_at,
        }
    }
}

/// Sends attempts; one per process, cheap to clone.
#[derive(Clone, Debug)]
pub struct Sender {
    policy: OutboundPolicy,
    public_url: String,
    timeout: Duration,
    clients: Arc<clients::Clients>,
}

impl Sender {
    pub fn new(policy: OutboundPolicy, public_url: &str, timeout: Duration) -> Self {
        Sender {
            policy,
            public_url: public_url.trim_end_matches('/').to_string(),
            timeout,
            clients: Arc::default(),
        }
    }

    pub fn policy(&self) -> &OutboundPolicy {
        &self.policy
    }

    /// The console page of an event.
    pub fn event_link(&self, event: EventId) -> String {
        format!("{}/events/{event}", self.public_url)
    }

    /// Makes one attempt, within the timeout.
    pub async fn send(&self, attempt: &Attempt<'_>) -> Result<(), SendError> {
        let host = attempt.channel.settings.host();
        match tokio::time::timeout(self.timeout, self.dispatch(attempt)).await {
            Ok(outcome) => outcome,
            Err(_) => Err(SendError::new(format!(
                "timed out after {} ms sending to {host}",
                self.timeout.as_millis()
            ))),
        }
    }

    async fn dispatch(&self, attempt: &Attempt<'_>) -> Result<(), SendError> {
        let secret =
            || attempt.secret.ok_or_else(|| SendError::new("the channel has no stored secret"));
        match &attempt.channel.settings {
            ChannelSettings::Webhook(settings) => {
                webhook::send(self, attempt.tenant, attempt.event, settings, secret()?).await
            }
            ChannelSettings::Slack(settings) => {
                slack::send(self, attempt.event, settings, secret()?).await
            }
            ChannelSettings::Email(settings) => {
                email::send(self, attempt.event, settings, attempt.secret).await
            }
        }
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    pub(crate) fn clients(&self) -> &clients::Clients {
        &self.clients
    }
}

/// Up to `max` of the payload's top-level scalar fields (strings, numbers, booleans), as text,
/// each value cut to 200 characters: the "key fields" of Slack and email messages.
pub fn key_fields(payload: &serde_json::Value, max: usize) -> Vec<(String, String)> {
    let Some(object) = payload.as_object() else {
        return Vec::new();
    };
    object
        .iter()
        .filter_map(|(key, value)| {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((truncate(key, 60), truncate(&text, 200)))
        })
        .take(max)
        .collect()
}

/// `text` cut to `max` characters, with an ellipsis when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_fields_are_the_first_scalars_of_the_payload() {
        let payload = json!({"port": 22, "host": "a.example", "nested": {"x": 1}, "open": true});
        let fields = key_fields(&payload, 5);
        assert_eq!(fields.len(), 3);
        assert!(fields.contains(&("port".into(), "22".into())));
        assert!(fields.contains(&("open".into(), "true".into())));
        assert!(key_fields(&json!([1, 2]), 5).is_empty());
        assert_eq!(key_fields(&payload, 1).len(), 1);
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
