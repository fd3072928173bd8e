//! Identity and access: tenants, users and memberships, passwords, access and refresh tokens,
//! API keys, and the RBAC matrix that turns a principal's role into permissions.
//!
//! It owns authentication (who is this?) and authorization data (what may they do?), and writes
//! an audit row for every change it makes. It must not know about HTTP: the api crate maps its
//! errors and calls its services.

pub mod cache;
pub mod error;
pub mod model;
pub mod permissions;
pub mod principal;
pub mod service;
pub mod store;

pub use error::{AuthError, Conflict, LoginError, ManageError, RefreshError};
pub use permissions::{Permission, PermissionSet, Role};
pub use principal::{Credential, Principal};
pub use service::{Identity, IdentitySettings};
pub mod credentials;
pub mod password;
