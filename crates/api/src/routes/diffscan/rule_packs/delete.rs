//! `DELETE /v1/diffscan/rule-packs/{id}`: deletes a pack; later scans no longer run it.

use axum::extract::State;
use axum::http::StatusCode;
use diffscan::Diffscan;
use diffscan::model::RulePackId;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;

#[utoipa::path(delete, path = "/v1/diffscan/rule-packs/{id}", tag = "diffscan",
    params(("id" = RulePackId, Path, description = "Rule pack id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "NOT_FOUND: no such rule pack in this tenant"),
    ))]
pub async fn delete(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<RulePackId>,
) -> Result<StatusCode, ApiError> {
    diffscan.delete_rule_pack(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
