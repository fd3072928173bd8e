//! Administration pages: users, roles, API keys, audit log, tenants.

use axum::Router;
use edge::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
