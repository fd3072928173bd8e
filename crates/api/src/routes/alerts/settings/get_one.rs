//! `GET /v1/alerts/settings`: the tenant's alert settings (defaults for what it never set).

use super::SettingsDocument;
use alerts::Alerts;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;

#[utoipa::path(get, path = "/v1/alerts/settings", tag = "alerts",
    responses((status = 200, description = "SLA targets and dedup keys", body = SettingsDocument)))]
pub async fn get_one(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
) -> Result<Json<SettingsDocument>, ApiError> {
    Ok(Json(SettingsDocument::from_settings(&alerts.tenant_settings(&principal).await?)?))
}
