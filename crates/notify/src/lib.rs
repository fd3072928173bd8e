//! Notifications: the channels a tenant sends its events to (signed webhooks, Slack incoming
//! webhooks, email over SMTP), their secrets encrypted at rest, and the relay that delivers the
//! outbox's deliveries at least once, with retries, backoff and a dead letter.
//!
//! * [`Notify`] is the service: channel management, events and deliveries, the relay.
//! * The relay (`relay`) is a background loop of the job runner: register it with
//!   [`register_jobs`] for deliveries to go out.
//! * Every outbound connection goes through the SSRF guard (`platform::outbound`) at the moment it
//!   is made, and connects to the checked address.
//!
//! It must not know about HTTP routing (no axum): the api crate maps its errors and calls it. It
//! never logs, audits or returns a channel secret after creation.

pub mod crypto;
pub mod error;
pub mod feed;
pub mod mail;
pub mod model;
pub mod relay;
pub mod send;
pub mod service;
pub mod settings;
pub(crate) mod store;

pub use error::NotifyError;
pub use relay::{RelayOutcome, RelaySettings, register_jobs};
pub use service::Notify;
pub use settings::NotifySettings;
