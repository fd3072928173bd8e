//! `PageQuery`: a console page's query string (its filters, page size, cursor), read the way
//! axum's `Query` reads it, but refused as a console page in plain words (400) instead of axum's
//! bare rejection, which the edge would turn into problem+json in the middle of the console.

use crate::error::PageError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

#[derive(Debug)]
pub struct PageQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for PageQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, PageError> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query).map(PageQuery).map_err(|error| {
            PageError::bad_request(&format!(
                "The address's filters could not be read ({error}); remove them and try again."
            ))
        })
    }
}
