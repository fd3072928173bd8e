//! Notification channel pages: the tenant's channels with the forms that add a webhook, a Slack
//! incoming webhook or an email channel (a webhook's signing secret shown once), one channel with
//! its recent and dead deliveries, and the actions that test, enable, disable and delete a
//! channel and retry a delivery. Everything needs `CHANNELS_MANAGE` (reading deliveries also
//! `EVENTS_VIEW`); the notify service checks it again.

mod create;
mod delete;
mod detail;
mod list;
mod retry;
mod test;
mod toggle;

use super::tiered;
use axum::Router;
use axum::routing::{get, post};
use edge::AppState;
use edge::rate_limit::Tier;

pub fn routes() -> Router<AppState> {
    let general = |route| tiered(Tier::General, route);
    Router::new()
        .route("/channels", general(get(list::show).post(create::submit)))
        .route("/channels/{id}", general(get(detail::show)))
        .route("/channels/{id}/test", general(post(test::submit)))
        .route("/channels/{id}/enable", general(post(toggle::enable)))
        .route("/channels/{id}/disable", general(post(toggle::disable)))
        .route("/channels/{id}/delete", general(post(delete::submit)))
        .route("/deliveries/{id}/retry", general(post(retry::submit)))
}
