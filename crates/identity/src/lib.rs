//! Identity and access: tenants, users and memberships, passwords, access and refresh tokens,
//! API keys, and the RBAC matrix that turns a principal's role into permissions.
//!
//! It owns authentication (who is this? it builds the `platform::access::Principal` every other
//! crate receives) and the authorization data (what may they do?), and writes an audit row for
//! every change it makes. It must not know about HTTP: the api crate maps its errors and calls
//! its services. Its SQL (`store`) is private; entities other crates need live in `model`.

pub mod cache;
pub mod credentials;
pub mod error;
pub mod model;
pub mod password;
pub mod service;
pub mod settings;
pub(crate) mod store;

pub use error::{AuthError, Conflict, LoginError, ManageError, RefreshError};
pub use service::Identity;
pub use service::sessions::{SessionKind, TokenPair};

/// Registers identity's jobs (the mail it sends to people), with the service they need, on a
/// job runner.
pub fn register_jobs(
    builder: platform::jobs::JobRunnerBuilder,
    identity: &Identity,
) -> platform::jobs::JobRunnerBuilder {
    builder.extension(identity.clone()).job::<service::mail::AccountMail>()
}
pub use settings::IdentitySettings;
