//! How surface's errors become HTTP: the one mapping from its domain errors to statuses and
//! stable codes, shared by the API (problem+json) and the console (HTML).

use crate::error::{ApiError, ErrorCode};
use surface::SurfaceError;

impl From<SurfaceError> for ApiError {
    fn from(error: SurfaceError) -> Self {
        match error {
            SurfaceError::NotFound(what) => ApiError::not_found(what),
            SurfaceError::Invalid(invalid) => invalid.into(),
            SurfaceError::Forbidden(refusal) => refusal.into(),
            SurfaceError::Page(error) => error.into(),
            SurfaceError::AssetExists(message) => ApiError::new(ErrorCode::ASSET_EXISTS, message),
            SurfaceError::NotAuthorized(message) => {
                ApiError::new(ErrorCode::ASSET_NOT_AUTHORIZED, message)
            }
            SurfaceError::ScanInProgress(message) => {
                ApiError::new(ErrorCode::SCAN_IN_PROGRESS, message)
            }
            SurfaceError::NoChallenge(message) => ApiError::new(ErrorCode::NO_CHALLENGE, message),
            SurfaceError::ScanFinished(message) => ApiError::new(ErrorCode::SCAN_FINISHED, message),
            SurfaceError::NoSnapshot(message) => ApiError::new(ErrorCode::NO_SNAPSHOT, message),
            SurfaceError::LimitReached(message) => ApiError::new(ErrorCode::LIMIT_REACHED, message),
            SurfaceError::Unexpected(cause) => cause.into(),
        }
    }
}
