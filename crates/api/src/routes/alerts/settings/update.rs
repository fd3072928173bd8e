//! `PUT /v1/alerts/settings`: replaces the tenant's alert settings (absent parts take their
//! defaults); audited as `alert_settings.update`.

use super::SettingsDocument;
use alerts::Alerts;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;

#[utoipa::path(put, path = "/v1/alerts/settings", tag = "alerts", request_body = SettingsDocument,
    responses(
        (status = 200, description = "The settings now in force", body = SettingsDocument),
        (status = 422, description = "VALIDATION_FAILED: INVALID_SETTINGS or OUT_OF_RANGE, naming the field"),
    ))]
pub async fn update(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(document): ApiJson<SettingsDocument>,
) -> Result<Json<SettingsDocument>, ApiError> {
    let document = serde_json::to_value(&document).map_err(|e| ApiError::internal(e.into()))?;
    let settings = alerts.update_tenant_settings(&context, &principal, &document).await?;
    Ok(Json(SettingsDocument::from_settings(&settings)?))
}
