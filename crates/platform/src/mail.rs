//! Mail to a person (an invitation, a password reset, an address to verify), as opposed to a
//! tenant's notification channels: the message, and the `Mailer` a capability sends it through.
//!
//! The installation's SMTP relay (`[mail]`) implements `Mailer` in the notify crate; capabilities
//! are handed an `Arc<dyn Mailer>` by the wiring and never know how it sends. It must not hold a
//! transport itself.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// One plain-text message to one address.
#[derive(Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

impl fmt::Debug for Mail {
    /// The body may carry a single-use token: it is never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mail").field("to", &self.to).field("subject", &self.subject).finish()
    }
}

/// Why a message was not handed over to the relay.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MailError(pub String);

/// Sends mail. Implementations must not log the body.
pub trait Mailer: Send + Sync + fmt::Debug {
    fn send<'a>(
        &'a self,
        mail: &'a Mail,
    ) -> Pin<Box<dyn Future<Output = Result<(), MailError>> + Send + 'a>>;
}
