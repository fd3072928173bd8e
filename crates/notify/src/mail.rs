//! The installation's own mail (`[mail]`): the SMTP relay that invitations, password resets and
//! address verifications go out through, as a `platform::mail::Mailer`. Tenants' email channels
//! are separate (each has its own relay); this one belongs to the operator.
//!
//! It connects the way channels do (SSRF guard, checked address, TLS unless allowlisted) and
//! never logs a message body, which carries single-use tokens.

use crate::model::TlsMode;
use crate::send::email::{Relay, deliver};
use lettre::Message;
use lettre::message::Mailbox;
use platform::Secret;
use platform::config::{Origin, Source};
use platform::mail::{Mail, MailError, Mailer};
use platform::outbound::OutboundPolicy;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// `[mail]`: where the installation's mail goes. Without `mail.smtp_host` there is no mailer,
/// and what needs one (inviting users, resetting passwords by email) says so.
#[derive(Clone, Debug)]
pub struct MailSettings {
    pub smtp_host: String,
    pub smtp_port: u16,
    pub tls: TlsMode,
    pub username: Option<String>,
    pub password: Option<Secret<String>>,
    /// The sender, e.g. `Palisade <palisade@example.com>`.
    pub from: String,
}

impl MailSettings {
    /// The `[mail]` section; `None` when no relay is configured.
    pub fn read(src: &mut Source<'_>) -> Option<MailSettings> {
        let host = src.optional_string("mail.smtp_host", &["PALISADE_MAIL_SMTP_HOST"]);
        let tls = src.parsed("mail.tls", &["PALISADE_MAIL_TLS"], TlsMode::StartTls, |text| {
            TlsMode::parse(text).ok_or_else(|| "is not starttls, tls or none".to_string())
        });
        let port = src.number("mail.smtp_port", &["PALISADE_MAIL_SMTP_PORT"], 0u16, 0..=65535);
        let username = src.optional_string("mail.username", &["PALISADE_MAIL_USERNAME"]);
        let password =
            src.optional_string("mail.password", &["PALISADE_MAIL_PASSWORD"]).map(Secret::new);
        let from =
            src.string("mail.from", &["PALISADE_MAIL_FROM"], "Palisade <palisade@localhost>");
        if from.parse::<Mailbox>().is_err() {
            src.error("mail.from", Origin::Both, "is not a mailbox such as `Palisade <a@b.c>`");
        }
        let smtp_host = host?;
        let smtp_port = if port == 0 { tls.default_port() } else { port };
        Some(MailSettings { smtp_host, smtp_port, tls, username, password, from })
    }
}

/// The `Mailer` over the configured relay.
#[derive(Debug)]
pub struct SmtpMailer {
    settings: MailSettings,
    policy: OutboundPolicy,
    timeout: Duration,
}

impl SmtpMailer {
    pub fn new(settings: MailSettings, policy: OutboundPolicy) -> SmtpMailer {
        SmtpMailer { settings, policy, timeout: Duration::from_secs(20) }
    }

    async fn deliver(&self, mail: &Mail) -> Result<(), MailError> {
        let refuse = |text: &str| MailError(format!("`{text}` is not an address"));
        let from: Mailbox = self.settings.from.parse().map_err(|_| refuse(&self.settings.from))?;
        let to: Mailbox = mail.to.parse().map_err(|_| refuse(&mail.to))?;
        let subject: String = mail.subject.chars().filter(|c| !c.is_control()).take(200).collect();
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .body(mail.text.clone())
            .map_err(|e| MailError(format!("the message cannot be built: {e}")))?;
        let password =
            self.settings.password.as_ref().map(|p| Secret::new(p.expose().clone().into_bytes()));
        let relay = Relay {
            host: &self.settings.smtp_host,
            port: self.settings.smtp_port,
            tls: self.settings.tls,
            username: self.settings.username.as_deref(),
            password: password.as_ref(),
        };
        deliver(&self.policy, self.timeout, &relay, message)
            .await
            .map_err(|e| MailError(e.to_string()))
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(
        &'a self,
        mail: &'a Mail,
    ) -> Pin<Box<dyn Future<Output = Result<(), MailError>> + Send + 'a>> {
        Box::pin(self.deliver(mail))
    }
}
