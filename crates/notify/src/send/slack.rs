//! Slack incoming webhooks: a Block Kit message with the severity and title as its header, the
//! key fields (type, severity, time and up to five payload scalars) as section fields, and a
//! button linking to the event in the console. The incoming-webhook URL is the channel's secret.

use super::{SendError, Sender, http, key_fields, truncate};
use crate::model::{EventRow, SlackSettings};
use platform::Secret;
use serde_json::{Value, json};

/// The Block Kit message of `event`; `link` is its console page.
pub fn message(event: &EventRow, link: &str) -> Value {
    let severity = event.severity.to_uppercase();
    let header = truncate(&format!("{} {severity}: {}", marker(&event.severity), event.title), 150);
    let mut fields = vec![
        field("Type", &event.kind),
        field("Severity", &severity),
        field("Time", &event.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
    ];
    fields.extend(key_fields(&event.payload, 5).iter().map(|(key, value)| field(key, value)));
    json!({
        "text": truncate(&format!("[{severity}] {}", event.title), 300),
        "blocks": [
            { "type": "header", "text": { "type": "plain_text", "text": header, "emoji": true } },
            { "type": "section", "fields": fields },
            { "type": "actions", "elements": [{
                "type": "button",
                "text": { "type": "plain_text", "text": "Open in Palisade" },
                "url": link,
            }]},
            { "type": "context", "elements": [
                { "type": "mrkdwn", "text": format!("Palisade event `{}`", event.id) },
            ]},
        ],
    })
}

pub async fn send(
    sender: &Sender,
    event: &EventRow,
    settings: &SlackSettings,
    url: &Secret<Vec<u8>>,
) -> Result<(), SendError> {
    let url = std::str::from_utf8(url.expose())
        .map_err(|_| SendError::new(format!("the stored URL for {} is unusable", settings.host)))?;
    let body = serde_json::to_vec(&message(event, &sender.event_link(event.id)))
        .map_err(|_| SendError::new("the message cannot be serialized"))?;
    http::post_json(sender, url, &[], body).await
}

fn field(name: &str, value: &str) -> Value {
    json!({ "type": "mrkdwn", "text": format!("*{}*\n{}", escape(name), escape(value)) })
}

/// Slack's mrkdwn control characters.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn marker(severity: &str) -> &'static str {
    match severity {
        "critical" => "🟥",
        "high" => "🟧",
        "medium" => "🟨",
        "low" => "🟦",
        _ => "⬜",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::EventId;

    #[test]
    fn the_message_has_a_header_key_fields_and_a_console_link() {
        let event = EventRow {
            id: EventId::from_uuid(uuid::Uuid::nil()),
            kind: "surface.port_opened".into(),
            severity: "high".into(),
            title: "Port 22 opened on <a.example>".into(),
            payload: json!({"port": 22, "host": "a.example", "deep": {"x": 1}}),
            created_at: chrono::Utc::now(),
        };
        let message = message(&event, "https://console.test/events/0");
        let blocks = message["blocks"].as_array().unwrap();
        assert_eq!(blocks[0]["type"], "header");
        assert!(blocks[0]["text"]["text"].as_str().unwrap().contains("HIGH: Port 22 opened"));
        let fields = blocks[1]["fields"].as_array().unwrap();
        assert_eq!(fields.len(), 5);
        assert!(fields.iter().any(|f| f["text"] == "*port*\n22"));
        assert_eq!(escape("<b> & c"), "&lt;b&gt; &amp; c");
        assert_eq!(blocks[2]["elements"][0]["url"], "https://console.test/events/0");
    }
}
