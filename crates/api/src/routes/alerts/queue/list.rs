//! `GET /v1/alerts`: the tenant's alerts, newest first, filtered.

use super::AlertItem;
use alerts::Alerts;
use alerts::model::{AlertFilter, FilterInput};
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{Listing, PageParams};
use platform::Page;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// The queue's filters; lists are comma-separated, all of them ANDed.
#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AlertsQuery {
    /// Statuses: `new`, `acknowledged`, `investigating`, `closed`.
    pub status: Option<String>,
    /// Severities: `unknown`, `informational`, `low`, `medium`, `high`, `critical`, `fatal`.
    pub severity: Option<String>,
    /// This severity or worse.
    pub min_severity: Option<String>,
    /// Sources: `palisade`, `wazuh`, `elastic`, `ocsf`, `sentinel`, `splunk`, `sigma`.
    pub source: Option<String>,
    /// A user id, or `none` for unassigned alerts.
    pub assignee: Option<String>,
    /// The source's rule id (`rule.uid`).
    pub rule: Option<String>,
    /// The detection rule that raised the alerts.
    pub detection_rule_id: Option<String>,
    /// Created at or after (RFC 3339).
    pub from: Option<String>,
    /// Created before (RFC 3339).
    pub to: Option<String>,
    /// Alerts carrying this observable value (an IP, host, hash, user …).
    pub observable: Option<String>,
    /// The observable's type: `ip`, `hostname`, `domain`, `url`, `file_hash`, `file_name`,
    /// `email`, `user`, `process`.
    pub observable_type: Option<String>,
    /// Free text (PostgreSQL web-search syntax: words, "phrases", `or`, `-word`) over title,
    /// rule, description and observables.
    pub q: Option<String>,
}

impl AlertsQuery {
    pub fn filter(self) -> Result<AlertFilter, ApiError> {
        let input = FilterInput {
            status: self.status,
            severity: self.severity,
            min_severity: self.min_severity,
            source: self.source,
            assignee: self.assignee,
            rule: self.rule,
            detection_rule_id: self.detection_rule_id,
            from: self.from,
            to: self.to,
            observable: self.observable,
            observable_type: self.observable_type,
            q: self.q,
        };
        Ok(AlertFilter::parse(&input)?)
    }
}

#[utoipa::path(get, path = "/v1/alerts", tag = "alerts", params(PageParams, AlertsQuery),
    responses((status = 200, description = "A page of alerts, newest first", body = Page<AlertItem>)))]
pub async fn list(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Listing(page, query): Listing<AlertsQuery>,
) -> Result<Json<Page<AlertItem>>, ApiError> {
    let filter = query.filter()?;
    let found = alerts.list_alerts(&principal, &filter, &page).await?;
    Ok(Json(found.map(AlertItem::from)))
}
