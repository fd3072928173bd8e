//! The HTTP edge shared by the API and the web console: the server loop (TLS, HTTP/1.1 and
//! HTTP/2, connection caps and deadlines), the application state and its
//! sub-states, the one wiring of every service (`Services`), the settings it runs with,
//! authentication extraction and route access (`auth`), request ids, tracing, metrics, rate
//! limits, timeouts, body limits, and the mapping of every error to an HTTP status and stable
//! code (`ApiError`, rendered as problem+json; the console renders the same as HTML).
//!
//! It must not define routes (the api and web crates do) nor hold domain logic.

pub mod auth;
pub mod error;
mod errors;
pub mod extract;
pub mod metrics;
pub mod middleware;
pub mod rate_limit;
pub mod server;
pub mod services;
pub mod settings;
pub mod state;

pub use error::{ApiError, ErrorCode, FieldError, PROBLEM_JSON, Problem};
pub use server::Server;
pub use services::Services;
pub use settings::{ConnectionSettings, HttpSettings, Settings};
pub use state::AppState;
