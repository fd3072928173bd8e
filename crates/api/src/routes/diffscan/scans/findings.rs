//! `GET /v1/diffscans/{id}/findings`: a scan's findings in report order, filtered by status,
//! blocking, minimum severity, family and rule.

use super::FindingItem;
use crate::routes::diffscan::word;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::{FindingFilter, ScanId};
use diffscan_engine::FindingStatus;
use diffscan_engine::rules::{Family, Severity};
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{IdPath, Listing, PageParams};
use platform::Page;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FindingsQuery {
    /// `open`, `suppressed`, `excepted` or `baselined`.
    pub status: Option<String>,
    /// Only blocking (true) or non-blocking (false) findings.
    pub blocking: Option<bool>,
    /// `info`, `low`, `medium`, `high` or `critical`: only findings at least this severe.
    pub min_severity: Option<String>,
    /// A rule family, e.g. `secrets`.
    pub family: Option<String>,
    /// One rule id, e.g. `secrets.aws-access-key-id`.
    pub rule_id: Option<String>,
}

fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
}

#[utoipa::path(get, path = "/v1/diffscans/{id}/findings", tag = "diffscan",
    params(("id" = ScanId, Path, description = "Scan id"), PageParams, FindingsQuery),
    responses(
        (status = 200, description = "A page of findings", body = Page<FindingItem>),
        (status = 404, description = "NOT_FOUND: no such scan in this tenant"),
    ))]
pub async fn findings(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    IdPath(id): IdPath<ScanId>,
    Listing(page, query): Listing<FindingsQuery>,
) -> Result<Json<Page<FindingItem>>, ApiError> {
    let filter = FindingFilter {
        status: word(
            "status",
            query.status.as_deref(),
            parse::<FindingStatus>,
            "open, suppressed, excepted or baselined",
        )?,
        blocking: query.blocking,
        min_severity: word(
            "min_severity",
            query.min_severity.as_deref(),
            parse::<Severity>,
            "info, low, medium, high or critical",
        )?,
        family: word(
            "family",
            query.family.as_deref(),
            parse::<Family>,
            "a rule family such as secrets",
        )?,
        rule_id: query.rule_id.map(|r| r.chars().take(200).collect()),
    };
    let findings = diffscan.findings(&principal, id, &filter, &page).await?;
    Ok(Json(findings.map(FindingItem::from)))
}
