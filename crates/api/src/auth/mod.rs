//! Authentication and authorization at the HTTP edge.
//!
//! `authenticate` (a layer on every route) turns `Authorization: Bearer …` (access token or API
//! key) and `X-Tenant-Id` into an `AuthOutcome` request extension. `guard` wraps each route with
//! the access it requires — public, any authenticated principal, or one permission — and writes
//! that same requirement into the route's OpenAPI operation, so that what is documented is what
//! is enforced. Handlers then take `Auth` (the principal) and `Context` (for audit rows).

mod extract;
mod guard;
mod layer;

pub use extract::{Auth, Context};
pub use guard::{ACCESS_EXTENSION, Access, guard};
pub use layer::{AuthOutcome, authenticate};
