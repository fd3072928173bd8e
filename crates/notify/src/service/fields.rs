//! Single fields of channel input parsed into typed values, each error naming its field: names,
//! event-type filters, severities, email addresses and bounded texts. No I/O here.

use crate::error::NotifyError;
use lettre::message::Mailbox;
use platform::FieldCode;
use platform::outbox::Severity;

const MAX_NAME_CHARS: usize = 100;
const MAX_EVENT_TYPES: usize = 50;
const MAX_RECIPIENTS: usize = 20;
/// Longest user name, password, host or address, in characters.
pub const MAX_FIELD_CHARS: usize = 256;

pub(crate) fn required(field: &'static str) -> NotifyError {
    NotifyError::invalid(field, FieldCode::REQUIRED, "this field is required")
}

pub(crate) fn bounded<'a>(field: &'static str, text: &'a str) -> Result<&'a str, NotifyError> {
    if text.is_empty()
        || text.chars().count() > MAX_FIELD_CHARS
        || text.chars().any(char::is_control)
    {
        return Err(NotifyError::invalid(
            field,
            FieldCode::INVALID_TEXT,
            "1 to 256 characters, no control characters",
        ));
    }
    Ok(text)
}

/// A channel name: trimmed, 1 to 100 characters, no control characters.
pub fn parse_name(text: &str) -> Result<String, NotifyError> {
    let name = text.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(NotifyError::invalid(
            "name",
            FieldCode::INVALID_NAME,
            "1 to 100 characters, no control characters",
        ));
    }
    Ok(name.to_string())
}

/// Event types a channel receives: at most 50 names like `surface.port_opened`; none means all.
pub fn parse_event_types(types: &[String]) -> Result<Vec<String>, NotifyError> {
    if types.len() > MAX_EVENT_TYPES {
        return Err(NotifyError::invalid(
            "event_types",
            FieldCode::TOO_MANY,
            "at most 50 event types",
        ));
    }
    let mut parsed: Vec<String> = Vec::with_capacity(types.len());
    for text in types {
        if !is_event_type(text) {
            return Err(NotifyError::invalid(
                "event_types",
                FieldCode::INVALID_EVENT_TYPE,
                format!(
                    "`{:.64}` is not an event type (lowercase letters, digits, `_` and `.`)",
                    text
                ),
            ));
        }
        if !parsed.contains(text) {
            parsed.push(text.clone());
        }
    }
    Ok(parsed)
}

/// `^[a-z][a-z0-9_.]{0,99}$`, as the `events.type` column requires.
pub fn is_event_type(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && text.len() <= 100
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
}

pub fn parse_severity(text: &str) -> Result<Severity, NotifyError> {
    Severity::parse(text).ok_or_else(|| {
        NotifyError::invalid(
            "min_severity",
            FieldCode::INVALID_SEVERITY,
            "one of info, low, medium, high, critical",
        )
    })
}

pub(crate) fn parse_mailbox(field: &'static str, text: &str) -> Result<String, NotifyError> {
    let text = bounded(field, text.trim())?;
    text.parse::<Mailbox>().map(|_| text.to_string()).map_err(|_| {
        NotifyError::invalid(
            field,
            FieldCode::INVALID_EMAIL,
            format!("`{text:.64}` is not an email address"),
        )
    })
}

pub(crate) fn parse_recipients(list: &[String]) -> Result<Vec<String>, NotifyError> {
    if list.is_empty() || list.len() > MAX_RECIPIENTS {
        return Err(NotifyError::invalid("to", FieldCode::OUT_OF_RANGE, "1 to 20 recipients"));
    }
    list.iter().map(|to| parse_mailbox("to", to)).collect()
}
