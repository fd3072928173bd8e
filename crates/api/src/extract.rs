//! Extractors that turn bad input into problem+json instead of axum's plain-text rejections, and
//! the list conventions every capability shares (`?limit=&cursor=` in, `items`/`next_cursor` out).

use crate::error::{ApiError, ErrorCode};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// `axum::Json` whose rejections are problem+json.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(ErrorCode::PAYLOAD_TOO_LARGE, "The request body is larger than allowed.")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
            ErrorCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the body as JSON with Content-Type: application/json.",
        ),
        _ => ApiError::new(ErrorCode::INVALID_JSON, rejection.body_text()),
    }
}

/// `axum::extract::Query` whose rejections are problem+json.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| ApiQuery(value))
            .map_err(|rejection: QueryRejection| {
                ApiError::new(ErrorCode::INVALID_QUERY, rejection.body_text())
            })
    }
}

/// What a `{id}` path segment names: its typed id and the noun of its 404.
pub trait PathId: Sized {
    const NOUN: &'static str;
    fn from_uuid(id: uuid::Uuid) -> Self;
}

impl PathId for platform::UserId {
    const NOUN: &'static str = "user";
    fn from_uuid(id: uuid::Uuid) -> Self {
        platform::UserId::from_uuid(id)
    }
}

impl PathId for platform::TenantId {
    const NOUN: &'static str = "tenant";
    fn from_uuid(id: uuid::Uuid) -> Self {
        platform::TenantId::from_uuid(id)
    }
}

/// The `{id}` of a route, typed. An id that is not a UUID answers 404 like an unknown one, so
/// probing ids tells nothing.
#[derive(Debug, Clone, Copy)]
pub struct IdPath<T>(pub T);

impl<T: PathId, S: Send + Sync> FromRequestParts<S> for IdPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<uuid::Uuid>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) => Ok(IdPath(T::from_uuid(id))),
            Err(_) => Err(ApiError::not_found(T::NOUN)),
        }
    }
}

/// `?limit=&cursor=` of every list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many items to return, 1 to 200 (default 50).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageParams {
    pub const DEFAULT_LIMIT: u32 = 50;
    pub const MAX_LIMIT: u32 = 200;

    /// The page size, or a validation error naming the field.
    pub fn limit(&self) -> Result<u32, ApiError> {
        match self.limit {
            None => Ok(Self::DEFAULT_LIMIT),
            Some(n) if (1..=Self::MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => {
                Err(ApiError::field("limit", "OUT_OF_RANGE", "limit must be between 1 and 200"))
            }
        }
    }
}

/// `{"items": [...], "next_cursor": ...}`: the shape of every list response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `?cursor=` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}
