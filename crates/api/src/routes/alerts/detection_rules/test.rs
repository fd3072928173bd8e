//! `POST /v1/detection-rules/test`: which sample events a rule (with its exceptions) matches, per
//! selection, without storing anything — the same verdicts as `palisade sigma test`.

use alerts::Alerts;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::ApiJson;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestRequest {
    /// The rule in SigmaHQ YAML.
    pub yaml: String,
    /// Exceptions, as on a stored rule.
    #[schema(value_type = Option<Vec<Object>>)]
    pub exceptions: Option<Vec<serde_json::Value>>,
    /// 1 to 1,000 events: flat field maps, ECS documents, Windows event-log records as `evtx`
    /// writes them (`Event.System`, `Event.EventData`/`UserData`), Wazuh or OCSF events.
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<serde_json::Value>,
}

/// The verdict for one event.
#[derive(Serialize, ToSchema)]
pub struct Verdict {
    /// Position of the event in `events`, from 1.
    pub event: usize,
    pub matched: bool,
    /// Each selection of the condition, and whether it matched.
    pub selections: BTreeMap<String, bool>,
    /// Why the rule does not apply to the event at all (its logsource excludes it).
    pub skipped: Option<String>,
    /// The rule matched, but this exception (by position) covers the event.
    pub excepted_by: Option<usize>,
    /// Why the event could not be read.
    pub error: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TestResponse {
    pub verdicts: Vec<Verdict>,
    /// How many events matched.
    pub matched: usize,
}

#[utoipa::path(post, path = "/v1/detection-rules/test", tag = "detection-rules", request_body = TestRequest,
    responses(
        (status = 200, description = "A verdict per event", body = TestResponse),
        (status = 422, description = "VALIDATION_FAILED: INVALID_RULE (the parser's message and line), INVALID_EXCEPTION, OUT_OF_RANGE (events)"),
    ))]
pub async fn test(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    ApiJson(request): ApiJson<TestRequest>,
) -> Result<Json<TestResponse>, ApiError> {
    let exceptions = request.exceptions.unwrap_or_default();
    let verdicts =
        alerts.test_rule(&principal, &request.yaml, &exceptions, &request.events).await?;
    let verdicts: Vec<Verdict> = verdicts
        .into_iter()
        .map(|v| Verdict {
            event: v.line,
            matched: v.matched,
            selections: v.selections,
            skipped: v.skipped,
            excepted_by: v.excepted_by,
            error: v.error,
        })
        .collect();
    let matched = verdicts.iter().filter(|v| v.matched).count();
    Ok(Json(TestResponse { verdicts, matched }))
}
