//! The alert queue: the filtered list with bulk actions, one alert with its OCSF finding,
//! observables, ATT&CK techniques, history and the triage actions.

mod bulk;
mod detail;
mod queue;
mod triage;

use super::tiered;
use axum::Router;
use axum::routing::{get, post};
use edge::AppState;
use edge::rate_limit::Tier;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/alerts", tiered(Tier::General, get(queue::show)))
        .route("/alerts/bulk", tiered(Tier::Bulk, post(bulk::submit)))
        .route("/alerts/{id}", tiered(Tier::General, get(detail::show)))
        .route("/alerts/{id}/triage", tiered(Tier::General, post(triage::submit)))
}
