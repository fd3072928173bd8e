//! The access vocabulary every capability shares: who is acting (`Principal`, `Credential`), what
//! may be granted (`Permission`, `Role`, `PermissionSet`) and the one refusal (`Forbidden`) that
//! every domain error absorbs.
//!
//! Identity builds principals (authentication) and keeps the role matrix; every other domain
//! crate depends on this module only, never on identity. A service method that acts for a
//! principal calls `principal.require(permission)` itself, so that no caller (a route, a job, the
//! CLI, the console) can skip the check. It must not touch the database.

mod catalog;
mod principal;

pub use catalog::{Permission, PermissionSet, Role};
pub use principal::{Credential, Principal};

/// A principal asked for something its permissions do not allow.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Forbidden {
    message: String,
}

impl Forbidden {
    /// A refusal explained in plain words (shown to the client).
    pub fn new(message: impl Into<String>) -> Forbidden {
        Forbidden { message: message.into() }
    }

    /// The principal lacks `permission`.
    pub fn missing(permission: Permission) -> Forbidden {
        Forbidden::new(format!("This requires the {permission} permission."))
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}
