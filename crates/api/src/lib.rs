//! Palisade's HTTP API (`/v1`): the axum router, its middleware, the one mapping from every
//! error to RFC 9457 problem+json, and the OpenAPI document.
//!
//! Handlers are thin: parse, authorize, call a service, map the result. Domain logic and SQL live
//! in the domain crates and `platform`; this crate must not grow any.

pub mod auth;
pub mod error;
pub mod extract;
mod identity_errors;
pub mod metrics;
pub mod middleware;
mod notify_errors;
pub mod openapi;
pub mod rate_limit;
pub mod router;
pub mod routes;
pub mod state;

pub use error::{ApiError, ErrorCode};
pub use router::router;
pub use state::{AppState, HttpSettings};
