//! Signing in and out, and switching tenant.

mod login;
mod logout;
mod switch_tenant;

use super::tiered;
use axum::Router;
use axum::routing::{get, post};
use edge::AppState;
use edge::rate_limit::Tier;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/login",
            tiered(Tier::General, get(login::show)).merge(tiered(Tier::Auth, post(login::submit))),
        )
        .route("/logout", tiered(Tier::General, post(logout::submit)))
        .route("/session/tenant", tiered(Tier::Auth, post(switch_tenant::submit)))
}
