//! The assets: the list with its filters and the add form, one asset's page, and the actions on
//! an asset (prove, verify, attest, scan, schedule, baseline, delete), one file each.

pub mod attest;
pub mod authorize;
pub mod baseline;
pub mod create;
pub mod delete;
pub mod detail;
pub mod list;
pub mod scan;
pub mod schedule;
pub mod verify;

use crate::error::PageError;
use crate::form::parse_id;
use crate::respond::see_other;
use axum::response::Response;
use edge::AppState;
use surface::model::AssetId;

/// The asset page after an action on it: back to it when the action went through, the page
/// again with the refusal shown at the top when it was about what was asked (a 409 or 422),
/// the error page otherwise.
pub(super) async fn back_to_asset(
    state: &AppState,
    viewer: &crate::session::Viewer,
    id: AssetId,
    outcome: Result<(), PageError>,
) -> Result<Response, PageError> {
    match outcome {
        Ok(()) => Ok(see_other(&format!("/assets/{id}"))),
        Err(error) => {
            let refusal = super::Refusal::from_error(error)?;
            detail::render(state, viewer, id, Some(refusal)).await
        }
    }
}

/// The asset named by a path segment; a malformed id is not found.
pub(super) fn asset_id(text: &str) -> Result<AssetId, PageError> {
    parse_id(text)
}
