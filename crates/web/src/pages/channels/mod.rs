//! Notification channel pages: the tenant's channels with the forms that add a webhook, a Slack
//! incoming webhook or an email channel (a webhook's signing secret shown once), one channel with
//! its recent and dead deliveries, and the actions that test, enable, disable and delete a
//! channel and retry a delivery. Everything needs `CHANNELS_MANAGE` (reading deliveries also
//! `EVENTS_VIEW`); the notify service checks it again.
//!
//! This module owns what the channel pages share: their routes and `Notice`, a refusal of what
//! was typed (an address the SSRF guard refused, a taken name) shown on the form it concerns.

mod create;
mod delete;
mod detail;
mod list;
mod retry;
mod test;
mod toggle;

use super::tiered;
use crate::error::PageError;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use edge::rate_limit::Tier;
use edge::{AppState, FieldError};

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

/// What a page says about the form or action it concerns: a refusal (the sentence at the top,
/// the field errors beside their fields) or a success.
#[derive(Debug, Default)]
pub struct Notice {
    pub error: Option<String>,
    pub fields: Vec<FieldError>,
    pub done: Option<String>,
}

impl Notice {
    pub fn done(message: impl Into<String>) -> Notice {
        Notice { done: Some(message.into()), ..Notice::default() }
    }

    /// `error` as a refusal to show on the page (a validation error, a conflict, too many tests
    /// in a minute); any other failure stays an error page.
    pub fn refusal(error: PageError) -> Result<(StatusCode, Notice), PageError> {
        let PageError::Api(api) = &error else { return Err(error) };
        let problem = api.to_problem();
        let shown = matches!(problem.status, 400 | 409 | 422 | 429);
        if !shown {
            return Err(error);
        }
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::CONFLICT);
        Ok((status, Notice { error: Some(problem.detail), fields: problem.errors, done: None }))
    }

    /// The sentence at the top of the form, opening with `what` (e.g. "Nothing was saved"): the
    /// refusal itself, or a pointer to the fields marked beside them when it names fields.
    pub fn headed(mut self, what: &str) -> Notice {
        let detail = self.error.take().unwrap_or_default();
        self.error = Some(match self.fields.is_empty() {
            true => format!("{what}: {detail}"),
            false => format!("{what}: correct what is marked below."),
        });
        self
    }

    /// The message for field `name`, if it was refused.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.field == name).map(|f| f.message.as_str())
    }
}
