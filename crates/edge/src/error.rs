//! The one place errors become HTTP: RFC 9457 `application/problem+json` bodies with a stable
//! `code` (documented in docs/error-codes.md) and the request id. Internal errors are logged with
//! their cause and answered with a generic 500; no internal detail ever reaches a response.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

macro_rules! error_codes {
    ($($variant:ident => ($status:ident, $title:literal)),+ $(,)?) => {
        /// Every stable error code Palisade answers with (named as clients see them).
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum ErrorCode { $($variant),+ }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => stringify!($variant)),+ }
            }

            pub fn status(self) -> StatusCode {
                match self { $(ErrorCode::$variant => StatusCode::$status),+ }
            }

            pub fn title(self) -> &'static str {
                match self { $(ErrorCode::$variant => $title),+ }
            }
        }
    };
}

error_codes! {
    BAD_REQUEST => (BAD_REQUEST, "The request is malformed"),
    INVALID_JSON => (BAD_REQUEST, "The request body is not valid JSON for this operation"),
    INVALID_QUERY => (BAD_REQUEST, "The query string is not valid for this operation"),
    INVALID_CURSOR => (BAD_REQUEST, "The cursor is not valid for this list"),
    VALIDATION_FAILED => (UNPROCESSABLE_ENTITY, "One or more fields are invalid"),
    UNAUTHENTICATED => (UNAUTHORIZED, "Authentication is required"),
    TOKEN_EXPIRED => (UNAUTHORIZED, "The access token has expired"),
    INVALID_CREDENTIALS => (UNAUTHORIZED, "Invalid email or password"),
    INVALID_REFRESH_TOKEN => (UNAUTHORIZED, "The refresh token is not valid"),
    INVALID_TOKEN => (BAD_REQUEST, "The token is invalid, used or expired"),
    EMAIL_NOT_VERIFIED => (FORBIDDEN, "The email address is not verified"),
    REGISTRATION_DISABLED => (FORBIDDEN, "Registration is disabled"),
    FORBIDDEN => (FORBIDDEN, "You are not allowed to do this"),
    NOT_FOUND => (NOT_FOUND, "Not found"),
    METHOD_NOT_ALLOWED => (METHOD_NOT_ALLOWED, "Method not allowed on this resource"),
    CONFLICT => (CONFLICT, "The request conflicts with the current state"),
    SLUG_TAKEN => (CONFLICT, "The slug is already taken"),
    EMAIL_TAKEN => (CONFLICT, "The email address is already registered"),
    ALREADY_MEMBER => (CONFLICT, "The user is already a member of this tenant"),
    USER_PROTECTED => (CONFLICT, "The user is protected"),
    ROLE_LOCKED => (UNPROCESSABLE_ENTITY, "This role's permissions cannot be changed"),
    TENANT_SUSPENDED => (CONFLICT, "The tenant is suspended"),
    LAST_TENANT_ADMIN => (CONFLICT, "The tenant would have no administrator"),
    INVITATION_CLOSED => (CONFLICT, "The invitation is no longer pending"),
    MAIL_NOT_CONFIGURED => (CONFLICT, "Mail is not configured"),
    ALERT_TRANSITION_NOT_ALLOWED => (CONFLICT, "The alert's status does not allow this"),
    INVALID_SIGNATURE => (UNAUTHORIZED, "The request's signature does not verify"),
    REPLAYED_REQUEST => (UNAUTHORIZED, "The request's timestamp is outside the replay window"),
    TOO_MANY_ITEMS => (PAYLOAD_TOO_LARGE, "The request carries too many items"),
    IDEMPOTENCY_CONFLICT => (CONFLICT, "The Idempotency-Key was used with a different request"),
    SCAN_NOT_COMPLETE => (CONFLICT, "The scan has no result yet"),
    RULE_ID_TAKEN => (CONFLICT, "A rule id of the pack is already taken"),
    DIFF_PURGED => (GONE, "The diff was purged"),
    WEBHOOK_SIGNATURE_INVALID => (UNAUTHORIZED, "The webhook signature does not verify"),
    ASSET_EXISTS => (CONFLICT, "The tenant already monitors this asset"),
    ASSET_NOT_AUTHORIZED => (CONFLICT, "The asset is not authorized to be scanned"),
    SCAN_IN_PROGRESS => (CONFLICT, "A scan of this asset is already queued or running"),
    NO_CHALLENGE => (CONFLICT, "No authorization challenge was issued for this asset"),
    SCAN_FINISHED => (CONFLICT, "The scan already ended"),
    NO_SNAPSHOT => (CONFLICT, "The asset has no completed scan yet"),
    LIMIT_REACHED => (CONFLICT, "A limit of the tenant is reached"),
    PAYLOAD_TOO_LARGE => (PAYLOAD_TOO_LARGE, "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE => (UNSUPPORTED_MEDIA_TYPE, "Unsupported content type"),
    RATE_LIMITED => (TOO_MANY_REQUESTS, "Too many requests"),
    REQUEST_TIMEOUT => (SERVICE_UNAVAILABLE, "The request took too long"),
    SERVICE_UNAVAILABLE => (SERVICE_UNAVAILABLE, "The service is not ready"),
    INTERNAL_ERROR => (INTERNAL_SERVER_ERROR, "Internal error"),
}

/// One invalid field of a request.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// The problem+json body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub code: String,
    pub detail: String,
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// An error on its way to becoming a problem+json response.
#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    detail: String,
    errors: Vec<FieldError>,
    retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self { code, detail: detail.into(), errors: Vec::new(), retry_after_secs: None }
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NOT_FOUND, format!("{what} not found"))
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            many => format!("{} fields are invalid", many.len()),
        };
        Self { errors, ..Self::new(ErrorCode::VALIDATION_FAILED, detail) }
    }

    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError {
            field: field.to_string(),
            code: code.to_string(),
            message: message.into(),
        }])
    }

    /// An error whose cause is ours: the cause is logged, the client sees a generic 500.
    pub fn internal(cause: anyhow::Error) -> Self {
        tracing::error!(error = format!("{cause:#}"), "internal error");
        Self::new(ErrorCode::INTERNAL_ERROR, "An internal error occurred; it has been logged.")
    }

    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after_secs = Some(seconds.max(1));
        self
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn to_problem(&self) -> Problem {
        Problem {
            kind: format!("urn:palisade:error:{}", self.code.as_str()),
            title: self.code.title().to_string(),
            status: self.code.status().as_u16(),
            code: self.code.as_str().to_string(),
            detail: self.detail.clone(),
            request_id: crate::middleware::request_id::current(),
            errors: self.errors.clone(),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    /// An unexpected failure: 503 when its cause is the database being out of reach (the
    /// client may retry), 500 otherwise. The cause is logged either way.
    fn from(cause: anyhow::Error) -> Self {
        let unreachable = cause.chain().any(|e| {
            matches!(e.downcast_ref::<platform::DbError>(), Some(platform::DbError::Unavailable(_)))
                || matches!(
                    e.downcast_ref::<sqlx::Error>(),
                    Some(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_))
                )
        });
        if unreachable {
            tracing::error!(error = format!("{cause:#}"), "database unavailable");
            return Self::new(
                ErrorCode::SERVICE_UNAVAILABLE,
                "The database is unavailable; try again shortly.",
            )
            .with_retry_after(5);
        }
        Self::internal(cause)
    }
}

impl From<platform::DbError> for ApiError {
    fn from(error: platform::DbError) -> Self {
        Self::from(anyhow::Error::new(error))
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        Self::from(anyhow::Error::new(error))
    }
}

impl From<platform::access::Forbidden> for ApiError {
    fn from(refusal: platform::access::Forbidden) -> Self {
        Self::new(ErrorCode::FORBIDDEN, refusal.message())
    }
}

impl From<platform::Invalid> for ApiError {
    fn from(invalid: platform::Invalid) -> Self {
        Self::validation(vec![FieldError {
            field: invalid.field.into_owned(),
            code: invalid.code.as_str().to_string(),
            message: invalid.message,
        }])
    }
}

impl From<platform::PageError> for ApiError {
    fn from(error: platform::PageError) -> Self {
        match error {
            platform::PageError::Limit => {
                Self::field("limit", platform::FieldCode::OUT_OF_RANGE.as_str(), error.to_string())
            }
            platform::PageError::Cursor => Self::new(ErrorCode::INVALID_CURSOR, error.to_string()),
        }
    }
}

pub const PROBLEM_JSON: &str = "application/problem+json";

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.to_problem()).unwrap_or_default();
        let mut response = (self.code.status(), body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = self.retry_after_secs {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_documented() {
        let docs = include_str!("../../../docs/error-codes.md");
        for code in ErrorCode::ALL {
            assert!(docs.contains(&format!("`{}`", code.as_str())), "{} missing", code.as_str());
        }
    }

    #[test]
    fn every_field_code_is_documented() {
        let docs = include_str!("../../../docs/error-codes.md");
        for code in platform::FieldCode::ALL {
            assert!(docs.contains(&format!("`{}`", code.as_str())), "{} missing", code.as_str());
        }
    }

    #[test]
    fn every_code_is_an_error_status() {
        for code in ErrorCode::ALL {
            assert!(code.status().as_u16() >= 400, "{}", code.as_str());
        }
    }
}
