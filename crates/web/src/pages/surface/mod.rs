//! Attack-surface pages: the assets (list with the add form, one asset with its proof of
//! authorization, current snapshot, scans and changes, and the actions on it), one scan with its
//! live progress, and the change events with their acknowledgement. Every read and write goes
//! through `surface::Surface`, which checks the permission again; the pages only hide what the
//! user may not use. `describe` turns snapshot documents and change values into table rows.

mod assets;
mod changes;
mod describe;
mod scans;

use super::tiered;
use crate::error::PageError;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use edge::rate_limit::Tier;
use edge::{AppState, FieldError};
use surface::model::AssetStatus;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/assets",
            tiered(Tier::General, get(assets::list::show).post(assets::create::submit)),
        )
        .route("/assets/{id}", tiered(Tier::General, get(assets::detail::show)))
        .route("/assets/{id}/authorize", tiered(Tier::General, post(assets::authorize::submit)))
        .route("/assets/{id}/verify", tiered(Tier::Expensive, post(assets::verify::submit)))
        .route("/assets/{id}/attest", tiered(Tier::General, post(assets::attest::submit)))
        .route("/assets/{id}/scan", tiered(Tier::Expensive, post(assets::scan::submit)))
        .route("/assets/{id}/schedule", tiered(Tier::General, post(assets::schedule::submit)))
        .route("/assets/{id}/baseline", tiered(Tier::General, post(assets::baseline::submit)))
        .route("/assets/{id}/delete", tiered(Tier::General, post(assets::delete::submit)))
        .route("/scans/{id}", tiered(Tier::General, get(scans::detail::show)))
        .route("/scans/{id}/cancel", tiered(Tier::General, post(scans::cancel::submit)))
        .route("/changes", tiered(Tier::General, get(changes::list::show)))
        .route("/changes/{id}/ack", tiered(Tier::General, post(changes::ack::submit)))
}

/// A refusal about what was asked (400, 409, 422) to show on the page it came from, with the
/// status and stable code the API would answer; anything else stays an error page.
#[derive(Debug)]
pub struct Refusal {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl Refusal {
    /// `error` as a refusal to show on the form, or `error` itself when it is not about the form.
    pub fn from_error(error: PageError) -> Result<Refusal, PageError> {
        let (Some((message, fields)), PageError::Api(api)) = (error.form_errors(), &error) else {
            return Err(error);
        };
        let problem = api.to_problem();
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::CONFLICT);
        Ok(Refusal { status, code: problem.code, message, fields })
    }

    /// The message for field `name`, when the refusal names it.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.field == name).map(|f| f.message.as_str())
    }
}

/// The badge colour of an asset's status: proven, lost or failed, or on its way.
pub fn status_class(status: AssetStatus) -> &'static str {
    match status {
        AssetStatus::Authorized => "sev-low",
        AssetStatus::Failed | AssetStatus::Revoked => "sev-critical",
        AssetStatus::Pending | AssetStatus::Verifying => "sev-info",
    }
}

/// The badge colour of a change's severity (`info` … `critical`).
pub fn severity_class(severity: &str) -> &'static str {
    match severity {
        "critical" => "sev-critical",
        "high" => "sev-high",
        "medium" => "sev-medium",
        "low" => "sev-low",
        _ => "sev-info",
    }
}

/// `path` with `query` appended when there is one.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() { path.to_string() } else { format!("{path}?{query}") }
}
