//! Triage of one alert: acknowledge, investigate, close with a disposition, reopen, assign, each
//! with an optional comment, each recorded in the alert's history and the audit log, with
//! `ALERTS_TRIAGE`. Every answer is the alert as it now is.

pub mod acknowledge;
pub mod assign;
pub mod close;
pub mod investigate;
pub mod reopen;

use crate::guard;
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use platform::access::Permission;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let triage = || Access::Permission(Permission::ALERTS_TRIAGE);
    OpenApiRouter::new()
        .routes(guard(triage(), Tier::General, routes!(acknowledge::acknowledge)))
        .routes(guard(triage(), Tier::General, routes!(investigate::investigate)))
        .routes(guard(triage(), Tier::General, routes!(close::close)))
        .routes(guard(triage(), Tier::General, routes!(reopen::reopen)))
        .routes(guard(triage(), Tier::General, routes!(assign::assign)))
}

/// A change with an optional comment (send `{}` for none).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentRequest {
    /// At most 4000 characters, kept in the alert's history.
    pub comment: Option<String>,
}
