//! The typed refusal an adapter gives for one item of a batch. Each error has a stable `code`
//! the service reports per item next to the human message; it never carries the payload itself.

/// Why one alert could not be normalized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdapterError {
    #[error("the alert is not a JSON object")]
    NotAnObject,
    #[error("the alert has no `{0}`")]
    MissingField(String),
    #[error("`{field}` is invalid: {reason}")]
    InvalidField { field: String, reason: String },
    #[error("this is not a {expected} alert: {reason}")]
    UnrecognizedShape { expected: &'static str, reason: String },
}

impl AdapterError {
    /// A stable, machine-readable code for the batch report.
    pub fn code(&self) -> &'static str {
        match self {
            AdapterError::NotAnObject => "not_an_object",
            AdapterError::MissingField(_) => "missing_field",
            AdapterError::InvalidField { .. } => "invalid_field",
            AdapterError::UnrecognizedShape { .. } => "unrecognized_shape",
        }
    }

    pub(crate) fn missing(field: &str) -> AdapterError {
        AdapterError::MissingField(field.to_string())
    }

    pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> AdapterError {
        AdapterError::InvalidField { field: field.to_string(), reason: reason.into() }
    }
}
