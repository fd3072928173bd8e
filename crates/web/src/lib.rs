//! Palisade's web console: server-rendered HTML from the same binary, calling the same services
//! as the API, with htmx for partial updates and the live feed over `/v1/ws`.
//!
//! It owns the console session (a cookie carrying the session's access token, renewed while in
//! use), its CSRF defence (an `Origin` check and a per-session token on every state-changing
//! request), the pages (one file per page or action under `pages/`) and the static files. It
//! must hold no domain logic and no SQL: every read and write goes through a service, which checks
//! the permission again; pages only decide what to show.

pub mod charts;
mod error;
mod form;
mod layout;
mod notice;
pub mod pages;
mod query;
mod respond;
pub mod session;
mod statics;

use axum::Router;
use axum::middleware::from_fn_with_state;
use edge::AppState;

pub use session::SESSION_COOKIE;

/// The console's routes, with the console-session layer; merged beside the API's routes and
/// wrapped in the edge's middleware stack by the caller.
pub fn routes(state: &AppState) -> Router<AppState> {
    pages::routes()
        .layer(from_fn_with_state(state.clone(), session::layer))
        .merge(statics::routes())
}
