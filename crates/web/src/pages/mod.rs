//! The console's pages and actions, one file per page or action, grouped by capability. Every
//! route takes a rate tier from the edge (`enforce` with public access: the session is checked by
//! `Viewer`, which sends strangers to the login page instead of answering 401).

pub mod admin;
pub mod alerts;
pub mod channels;
pub mod dashboard;
pub mod rules;
pub mod session;
pub mod surface;

use axum::Router;
use axum::extract::Request;
use axum::middleware::{Next, from_fn};
use axum::routing::MethodRouter;
use edge::AppState;
use edge::auth::{Access, enforce};
use edge::rate_limit::Tier;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(session::routes())
        .merge(dashboard::routes())
        .merge(alerts::routes())
        .merge(admin::routes())
        .merge(surface::routes())
        .merge(rules::routes())
        .merge(channels::routes())
}

/// `route` limited by `tier`.
pub(crate) fn tiered(tier: Tier, route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    route.route_layer(from_fn(move |request: Request, next: Next| {
        enforce(Access::Public, tier, request, next)
    }))
}
