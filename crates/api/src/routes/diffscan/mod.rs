//! Diffscan's routes: scans (`/v1/diffscans`: request, read, findings, signed artifact, HTML and
//! SARIF views, raw diff), what they run with (`/v1/diffscan/policies`, `exceptions`,
//! `baselines`, `rule-packs`, `signing-keys`) and GitHub (`/v1/diffscan/github/...`: the webhook,
//! installations, repositories, deliveries). Handlers call `diffscan::Diffscan`; its errors
//! become HTTP in `edge::errors::diffscan`.

pub mod baselines;
pub mod exceptions;
pub mod github;
pub mod policies;
pub mod rule_packs;
pub mod scans;

use edge::AppState;
use edge::{ApiError, ErrorCode};
use serde::{Deserialize, Deserializer};
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(scans::routes())
        .merge(policies::routes())
        .merge(exceptions::routes())
        .merge(baselines::routes())
        .merge(rule_packs::routes())
        .merge(github::routes())
}

/// A field that can be absent (unchanged), `null` (cleared) or a value: `Some(None)` is `null`.
pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A query parameter that names one of a set of words.
pub(crate) fn word<T>(
    name: &str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
    allowed: &str,
) -> Result<Option<T>, ApiError> {
    match value {
        None => Ok(None),
        Some(text) => parse(text).map(Some).ok_or_else(|| {
            ApiError::new(ErrorCode::INVALID_QUERY, format!("{name} must be {allowed}"))
        }),
    }
}
