//! Authentication and authorization at the HTTP edge, shared by the API and the console.
//!
//! `authenticate` (a layer on every route) turns `Authorization: Bearer …` (access token or API
//! key) and `X-Tenant-Id` into an `AuthOutcome` request extension. `enforce` (a route layer,
//! installed by the API's `guard` and by the console's routes) applies a route's rate tier and
//! its access — public, any authenticated principal, or one permission. Handlers then take
//! `Auth` (the principal) and `Context` (for audit rows). Services check the permission again:
//! this is the first wall, not the only one.

mod access;
mod budget;
pub mod console;
mod extract;
mod layer;

pub use access::{Access, enforce, too_many, unauthenticated};
pub use budget::CredentialBudget;
pub use extract::{Auth, Context};
pub use layer::{AuthOutcome, TENANT_HEADER, authenticate};
