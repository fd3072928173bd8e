//! `DELETE /v1/alert-sources/{id}`: deletes a source; its credential stops working at once (its
//! alerts stay).

use alerts::Alerts;
use alerts::model::AlertSourceId;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;

#[utoipa::path(delete, path = "/v1/alert-sources/{id}", tag = "alert-sources",
    params(("id" = AlertSourceId, Path, description = "Source id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "NOT_FOUND: no such source in this tenant"),
    ))]
pub async fn delete(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<AlertSourceId>,
) -> Result<StatusCode, ApiError> {
    alerts.delete_source(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
