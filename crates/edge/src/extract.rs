//! Extractors that turn bad input into problem+json instead of axum's plain-text rejections:
//! JSON bodies, query strings, typed path ids, and the page of a list (`?limit=&cursor=` in;
//! `platform::Page` with `items`/`next_cursor` out).

use crate::error::{ApiError, ErrorCode};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use platform::{PageRequest, TypedId};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::IntoParams;

/// `axum::Json` whose rejections are problem+json, and which refuses a NUL character in any
/// string (PostgreSQL text cannot hold one, and no field of ours needs one).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::new(
                ErrorCode::UNSUPPORTED_MEDIA_TYPE,
                "Send the body as JSON with Content-Type: application/json.",
            ));
        }
        let bytes = match axum::body::Bytes::from_request(req, state).await {
            Ok(bytes) => bytes,
            Err(rejection) => return Err(body_rejection(rejection.status())),
        };
        if json_has_nul(&bytes) {
            return Err(ApiError::new(
                ErrorCode::INVALID_JSON,
                "Text must not contain the NUL character (\\u0000).",
            ));
        }
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// `Content-Type: application/json` or any `+json` type, parameters allowed.
fn is_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers.get(axum::http::header::CONTENT_TYPE) else { return false };
    let Ok(text) = value.to_str() else { return false };
    let essence = text.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Whether a JSON text holds a NUL character: an `\u0000` escape (a raw NUL byte is not JSON
/// at all), not itself escaped (`\\u0000` is a backslash and the text `u0000`).
fn json_has_nul(json: &[u8]) -> bool {
    occurrences(json, b"u0000").any(|at| {
        let backslashes = json[..at].iter().rev().take_while(|b| **b == b'\\').count();
        backslashes % 2 == 1
    })
}

/// Where `needle` starts in `haystack`.
fn occurrences<'a>(haystack: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    haystack.windows(needle.len()).enumerate().filter(move |(_, w)| *w == needle).map(|(at, _)| at)
}

/// A query string holds a NUL character (`%00`).
fn query_has_nul(query: &str) -> bool {
    query.contains("%00")
}

/// A query string that cannot be read: the parser's message, which quotes the offending value,
/// cut to `MAX_QUERY_DETAIL` characters so that a huge parameter is not echoed back whole.
fn invalid_query(message: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::INVALID_QUERY, shortened(&message.to_string(), MAX_QUERY_DETAIL))
}

const MAX_QUERY_DETAIL: usize = 300;

fn shortened(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

fn nul_in_query() -> ApiError {
    ApiError::new(ErrorCode::INVALID_QUERY, "Parameters must not contain the NUL character (%00).")
}

fn body_rejection(status: StatusCode) -> ApiError {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(ErrorCode::PAYLOAD_TOO_LARGE, "The request body is larger than allowed.")
        }
        _ => ApiError::new(ErrorCode::BAD_REQUEST, "The request body could not be read."),
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
        if query_has_nul(parts.uri.query().unwrap_or_default()) {
            return Err(nul_in_query());
        }
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| ApiQuery(value))
            .map_err(|rejection: QueryRejection| invalid_query(rejection.body_text()))
    }
}

/// The `{id}` of a route, typed. An id that is not a UUID answers 404 like an unknown one, so
/// probing ids tells nothing.
#[derive(Debug, Clone, Copy)]
pub struct IdPath<T>(pub T);

impl<T: TypedId, S: Send + Sync> FromRequestParts<S> for IdPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<uuid::Uuid>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) => Ok(IdPath(T::from_uuid(id))),
            Err(_) => Err(ApiError::not_found(T::NOUN)),
        }
    }
}

/// `?limit=&cursor=` of every list, as documented in OpenAPI (`params(PageParams, …)`).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many items to return, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page (opaque).
    pub cursor: Option<String>,
}

/// The page of a list without filters: its limit checked, its cursor passed on unread (the
/// service decodes it into the list's own key). Any other query parameter is refused.
#[derive(Debug, Clone)]
pub struct Paging(pub PageRequest);

/// The filter of a list that has none.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoFilter {}

impl<S: Send + Sync> FromRequestParts<S> for Paging {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Listing(page, NoFilter {}) = Listing::from_request_parts(parts, state).await?;
        Ok(Paging(page))
    }
}

/// A filtered list request: the page (`limit`, `cursor`) and the filter `F`, read from one
/// query string. `F` sees every other parameter, so it can refuse unknown ones
/// (`#[serde(deny_unknown_fields)]`): a misspelt filter answers 400 instead of silently listing
/// everything.
#[derive(Debug, Clone)]
pub struct Listing<F>(pub PageRequest, pub F);

impl<F: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Listing<F> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        if query_has_nul(query) {
            return Err(nul_in_query());
        }
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query).map_err(invalid_query)?;
        let (paging, rest): (Vec<_>, Vec<_>) =
            pairs.into_iter().partition(|(key, _)| key == "limit" || key == "cursor");
        let paging = serde_urlencoded::to_string(&paging).map_err(invalid_query)?;
        let params: PageParams = serde_urlencoded::from_str(&paging).map_err(invalid_query)?;
        let rest = serde_urlencoded::to_string(&rest).map_err(invalid_query)?;
        let filter: F = serde_urlencoded::from_str(&rest).map_err(invalid_query)?;
        Ok(Listing(PageRequest::new(params.limit, params.cursor)?, filter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_escape_is_found_and_an_escaped_backslash_before_u0000_is_not() {
        assert!(json_has_nul(br#"{"email": "a\u0000b@x.test"}"#));
        assert!(json_has_nul(br#"["\\\u0000"]"#));
        assert!(!json_has_nul(br#"{"text": "a\\u0000b"}"#));
        assert!(!json_has_nul(br#"{"u0000": 1}"#));
        assert!(!json_has_nul(b""));
    }

    #[test]
    fn a_long_detail_is_cut_at_a_character_boundary_and_a_short_one_is_kept() {
        assert_eq!(shortened("unknown variant `ab`", 300), "unknown variant `ab`");
        assert_eq!(shortened("ééééé", 3), "ééé…");
        assert_eq!(shortened(&"x".repeat(5000), 300).chars().count(), 301);
    }
}
