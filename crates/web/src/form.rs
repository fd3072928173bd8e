//! `Submitted`: a state-changing console request that passed the CSRF checks, with its
//! url-encoded fields. Every console handler that changes something takes one; there is no other
//! way to read a console form.

use crate::error::PageError;
use crate::session::{Viewer, csrf};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use edge::AppState;

/// Console forms are small; anything larger is not ours.
const MAX_FORM_BYTES: usize = 256 * 1024;

#[derive(Debug)]
pub struct Submitted {
    pub viewer: Viewer,
    fields: Vec<(String, String)>,
}

impl Submitted {
    /// The first value of field `name`, trimmed; `None` when absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// The first value of field `name` exactly as sent, whitespace kept (YAML, where indentation
    /// and line numbers matter); `None` when absent.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// Every non-empty value of field `name` (checkbox lists), in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
            .collect()
    }
}

impl FromRequest<AppState> for Submitted {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, PageError> {
        let (mut parts, body) = request.into_parts();
        let viewer =
            Viewer::from_request_parts(&mut parts, state).await.map_err(PageError::SignIn)?;
        let allowed = csrf::allowed_origin(state);
        if !csrf::same_origin(&parts.headers, &allowed) {
            return Err(PageError::forged(
                "This request did not come from the console's own pages.",
            ));
        }
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|_| PageError::bad_request("The form could not be read."))?;
        if bytes.len() > MAX_FORM_BYTES {
            return Err(PageError::bad_request("The form is too large."));
        }
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| PageError::bad_request("The form could not be read."))?;
        if fields.iter().any(|(k, v)| k.contains('\0') || v.contains('\0')) {
            return Err(PageError::bad_request("The form contains a NUL character."));
        }
        let presented = parts
            .headers
            .get(csrf::HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string)
            .or_else(|| fields.iter().find(|(k, _)| k == csrf::FIELD).map(|(_, v)| v.clone()));
        let identity = &state.services.identity;
        if !presented.is_some_and(|token| identity.csrf_matches(&viewer.principal, &token)) {
            return Err(PageError::forged(
                "The form's security token is missing or stale; reload the page and try again.",
            ));
        }
        Ok(Submitted { viewer, fields })
    }
}

/// The typed id in a path segment or field; a malformed one names nothing we have (404).
pub fn parse_id<T: platform::TypedId>(text: &str) -> Result<T, PageError> {
    uuid::Uuid::try_parse(text.trim()).map(T::from_uuid).map_err(|_| PageError::not_found(T::NOUN))
}
