//! Palisade's HTTP API (`/v1`): the routes of every capability (one folder per capability, one
//! file per operation), the `guard` that declares each route's access and rate tier, and the
//! OpenAPI document.
//!
//! Handlers are thin: parse, authorize, call a service, map the result. Authentication, rate
//! limits, error rendering and the middleware stack are the edge's (shared with the console);
//! domain logic and SQL live in the domain crates and `platform`; this crate must grow none.

pub mod guard;
pub mod openapi;
pub mod router;
pub mod routes;

pub use guard::{ACCESS_EXTENSION, TIER_EXTENSION, guard};
pub use router::{api_parts, router, router_with};
