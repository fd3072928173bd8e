//! Email over SMTP (lettre): a message with plain-text and HTML alternatives to the channel's
//! recipients. The SMTP host is resolved through the SSRF guard and the connection goes to the
//! checked address (the host name is kept for TLS verification). STARTTLS and implicit TLS are
//! required unless the address is on the operator's allowlist (a lab or test relay).

use super::{SendError, Sender, key_fields, truncate};
use crate::model::{EmailSettings, EventRow, TlsMode};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use platform::Secret;
use platform::outbound::OutboundPolicy;
use std::net::SocketAddr;

/// Whether a plain (no TLS) SMTP connection may go to `addrs`: only when every one of them is on
/// the operator's allowlist.
pub fn plaintext_allowed(policy: &OutboundPolicy, addrs: &[SocketAddr]) -> bool {
    !addrs.is_empty()
        && addrs.iter().all(|addr| policy.allowlist().iter().any(|cidr| cidr.contains(addr.ip())))
}

pub async fn send(
    sender: &Sender,
    event: &EventRow,
    settings: &EmailSettings,
    password: Option<&Secret<Vec<u8>>>,
) -> Result<(), SendError> {
    let relay = Relay {
        host: &settings.smtp_host,
        port: settings.smtp_port,
        tls: settings.tls,
        username: settings.username.as_deref(),
        password,
    };
    let message = message(event, settings, &sender.event_link(event.id))?;
    deliver(sender.policy(), sender.timeout(), &relay, message).await
}

/// An SMTP relay as one send uses it.
pub(crate) struct Relay<'a> {
    pub host: &'a str,
    pub port: u16,
    pub tls: TlsMode,
    pub username: Option<&'a str>,
    pub password: Option<&'a Secret<Vec<u8>>>,
}

/// Hands `message` to `relay`: the host is resolved through the SSRF guard, the connection goes
/// to the checked address, TLS is required unless the address is allowlisted.
pub(crate) async fn deliver(
    policy: &OutboundPolicy,
    timeout: std::time::Duration,
    relay: &Relay<'_>,
    message: Message,
) -> Result<(), SendError> {
    let host = relay.host;
    let addrs = policy
        .resolve(host, relay.port)
        .await
        .map_err(|e| SendError::new(format!("refused: {e}")))?;
    let addr = *addrs.first().ok_or_else(|| SendError::new(format!("`{host}` has no address")))?;
    let tls_parameters = || {
        TlsParameters::new(host.to_string())
            .map_err(|_| SendError::new(format!("`{host}` cannot be used for TLS")))
    };
    let tls = match relay.tls {
        TlsMode::StartTls => Tls::Required(tls_parameters()?),
        TlsMode::Tls => Tls::Wrapper(tls_parameters()?),
        TlsMode::None if plaintext_allowed(policy, &addrs) => Tls::None,
        TlsMode::None => {
            return Err(SendError::new(format!(
                "refused: SMTP without TLS to {host} (only allowlisted addresses may go without TLS)"
            )));
        }
    };
    let mut transport =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(addr.ip().to_string())
            .port(addr.port())
            .tls(tls)
            .timeout(Some(timeout));
    if let Some(username) = relay.username {
        let password = match relay.password {
            Some(p) => String::from_utf8(p.expose().clone())
                .map_err(|_| SendError::new("the stored SMTP password is unusable"))?,
            None => String::new(),
        };
        transport = transport.credentials(Credentials::new(username.to_string(), password));
    }
    transport
        .build()
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| SendError::new(format!("SMTP to {host} failed: {e}")))
}

/// The email of `event`, with plain-text and HTML bodies; `link` is its console page.
pub fn message(
    event: &EventRow,
    settings: &EmailSettings,
    link: &str,
) -> Result<Message, SendError> {
    let mailbox = |text: &str| {
        text.parse::<Mailbox>().map_err(|_| SendError::new(format!("`{text}` is not an address")))
    };
    let severity = event.severity.to_uppercase();
    let title: String = event.title.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut builder = Message::builder()
        .from(mailbox(&settings.from)?)
        .subject(truncate(&format!("[Palisade] [{severity}] {title}"), 200));
    for to in &settings.to {
        builder = builder.to(mailbox(to)?);
    }
    let rows = rows(event);
    builder
        .multipart(MultiPart::alternative_plain_html(
            text_body(&title, &rows, link),
            html_body(&title, &rows, link),
        ))
        .map_err(|e| SendError::new(format!("the email cannot be built: {e}")))
}

/// The labelled facts both bodies show.
fn rows(event: &EventRow) -> Vec<(String, String)> {
    let mut rows = vec![
        ("Type".to_string(), event.kind.clone()),
        ("Severity".to_string(), event.severity.to_uppercase()),
        ("Time".to_string(), event.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
    ];
    rows.extend(key_fields(&event.payload, 20));
    rows.push(("Event id".to_string(), event.id.to_string()));
    rows
}

fn text_body(title: &str, rows: &[(String, String)], link: &str) -> String {
    let mut body = format!("{title}\n\n");
    for (label, value) in rows {
        body.push_str(&format!("{label}: {value}\n"));
    }
    body.push_str(&format!("\nOpen in Palisade: {link}\n"));
    body
}

fn html_body(title: &str, rows: &[(String, String)], link: &str) -> String {
    let mut body = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif\"><h2>{}</h2><table>",
        escape(title)
    );
    for (label, value) in rows {
        body.push_str(&format!(
            "<tr><th align=\"left\" style=\"padding-right:1em\">{}</th><td>{}</td></tr>",
            escape(label),
            escape(value)
        ));
    }
    body.push_str(&format!(
        "</table><p><a href=\"{}\">Open in Palisade</a></p></body></html>",
        escape(link)
    ));
    body
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::EventId;
    use serde_json::json;

    fn event() -> EventRow {
        EventRow {
            id: EventId::from_uuid(uuid::Uuid::nil()),
            kind: "alerts.created".into(),
            severity: "critical".into(),
            title: "Beacon <script> seen".into(),
            payload: json!({"host": "db-1"}),
            created_at: chrono::Utc::now(),
        }
    }

    fn settings() -> EmailSettings {
        EmailSettings {
            smtp_host: "smtp.example.com".into(),
            smtp_port: 587,
            tls: TlsMode::StartTls,
            username: None,
            from: "Palisade <bot@example.com>".into(),
            to: vec!["soc@example.com".into(), "oncall@example.com".into()],
        }
    }

    #[test]
    fn the_email_has_the_title_in_its_subject_and_both_bodies() {
        let message = message(&event(), &settings(), "https://console.test/events/x").unwrap();
        let text = String::from_utf8(message.formatted()).unwrap();
        assert!(text.contains("Subject: [Palisade] [CRITICAL] Beacon <script> seen"));
        assert!(text.contains("text/plain") && text.contains("text/html"));
        let html = html_body("Beacon <script> seen", &rows(&event()), "https://x.test/?a&b");
        assert!(html.contains("<h2>Beacon &lt;script&gt; seen</h2>"));
        assert!(html.contains("href=\"https://x.test/?a&amp;b\""));
        assert!(text.contains("oncall@example.com"));
    }

    #[test]
    fn plain_smtp_is_allowed_only_to_allowlisted_addresses() {
        let addr: SocketAddr = "127.0.0.1:25".parse().unwrap();
        assert!(!plaintext_allowed(&OutboundPolicy::deny_private(), &[addr]));
        let lab = OutboundPolicy::parse_allowlist("127.0.0.0/8").unwrap();
        assert!(plaintext_allowed(&lab, &[addr]));
        assert!(!plaintext_allowed(
            &lab,
            &["127.0.0.1:25".parse().unwrap(), "8.8.8.8:25".parse().unwrap()]
        ));
        assert!(!plaintext_allowed(&lab, &[]));
    }
}
