//! Errors of the alerts use cases, in domain terms; `edge::errors::alerts` alone maps them to
//! HTTP statuses and stable codes. Messages never carry a source's token or signing secret, nor
//! the payload of a pushed alert.

use crate::model::AlertStatus;
use platform::access::Forbidden;
use platform::{FieldCode, Invalid, PageError};

#[derive(Debug, thiserror::Error)]
pub enum AlertsError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error(transparent)]
    Page(#[from] PageError),
    /// A push without a usable credential: none at all, an unknown or disabled source, or a
    /// wrong token. One answer for all, so that probing tells nothing.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// A signed source's signature does not verify.
    #[error("the signature does not match the body")]
    BadSignature,
    /// A signed push whose timestamp is outside the replay window.
    #[error("the signature's timestamp is more than {0} seconds away; refused as a replay")]
    Replayed(i64),
    /// A push of more items than one request may carry.
    #[error("a request carries at most {max} alerts; this one has {found}")]
    TooManyItems { max: usize, found: usize },
    /// A body that is neither JSON nor NDJSON.
    #[error("{0}")]
    UnreadableBody(String),
    /// The alert's status does not allow the move.
    #[error("cannot {action} an alert that is {from}")]
    Transition { action: &'static str, from: AlertStatus },
    /// The object's state or a tenant limit does not allow the change.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl AlertsError {
    pub fn invalid(field: &'static str, code: FieldCode, message: impl Into<String>) -> Self {
        AlertsError::Invalid(Invalid::new(field, code, message))
    }
}

platform::unexpected_from!(
    AlertsError: sqlx::Error,
    platform::DbError,
    platform::jobs::JobsError,
    serde_json::Error,
);
