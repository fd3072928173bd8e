//! `GET /v1/alerts/stats`: counts by status and severity, MTTA and MTTR, and SLA breaches of
//! the alerts created in a range of hours.

use alerts::Alerts;
use alerts::model::stats::StatusCounts;
use alerts::model::{AlertStats, StatsRange, severity_word};
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::ApiQuery;
use platform::time::Timestamp;
use platform::{FieldCode, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// Alerts created at or after (RFC 3339; rounded down to the hour).
    pub from: Option<String>,
    /// Alerts created before (RFC 3339; rounded up to the hour).
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Counts {
    pub total: i64,
    pub new: i64,
    pub acknowledged: i64,
    pub investigating: i64,
    pub closed: i64,
}

impl From<&StatusCounts> for Counts {
    fn from(c: &StatusCounts) -> Self {
        Counts {
            total: c.total(),
            new: c.new,
            acknowledged: c.acknowledged,
            investigating: c.investigating,
            closed: c.closed,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct StatsResponse {
    /// The hours the figures cover (null: unbounded).
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub by_status: Counts,
    /// Per severity word, by status.
    pub by_severity: BTreeMap<String, Counts>,
    /// Mean time to acknowledge, in seconds, of the alerts acknowledged (null: none yet).
    pub mtta_seconds: Option<f64>,
    /// Mean time to close, in seconds, of the alerts closed.
    pub mttr_seconds: Option<f64>,
    pub sla_breaches: Breaches,
}

#[derive(Serialize, ToSchema)]
pub struct Breaches {
    pub acknowledge: i64,
    pub close: i64,
}

impl From<AlertStats> for StatsResponse {
    fn from(stats: AlertStats) -> Self {
        StatsResponse {
            from: stats.range.from,
            to: stats.range.to,
            by_status: (&stats.by_status).into(),
            by_severity: stats
                .by_severity
                .iter()
                .map(|(severity, counts)| (severity_word(*severity).to_string(), counts.into()))
                .collect(),
            mtta_seconds: stats.mtta_seconds,
            mttr_seconds: stats.mttr_seconds,
            sla_breaches: Breaches { acknowledge: stats.ack_breaches, close: stats.close_breaches },
        }
    }
}

fn time(text: Option<String>, field: &'static str) -> Result<Option<DateTime<Utc>>, ApiError> {
    text.filter(|t| !t.is_empty())
        .map(|t| {
            Timestamp::parse(&t).map(|t| t.as_datetime()).map_err(|e| {
                ApiError::from(Invalid::new(field, FieldCode::INVALID_TIMESTAMP, e.to_string()))
            })
        })
        .transpose()
}

#[utoipa::path(get, path = "/v1/alerts/stats", tag = "alerts", params(StatsQuery),
    responses((status = 200, description = "Counts, response times and SLA breaches", body = StatsResponse)))]
pub async fn stats(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    ApiQuery(query): ApiQuery<StatsQuery>,
) -> Result<Json<StatsResponse>, ApiError> {
    let range = StatsRange { from: time(query.from, "from")?, to: time(query.to, "to")? };
    if let (Some(from), Some(to)) = (range.from, range.to)
        && from >= to
    {
        return Err(Invalid::new("to", FieldCode::OUT_OF_RANGE, "`to` must be after `from`").into());
    }
    Ok(Json(alerts.stats(&principal, range).await?.into()))
}
