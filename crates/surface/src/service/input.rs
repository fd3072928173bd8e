//! Request fields parsed into surface's typed values, each error naming its field and a stable
//! code: the asset kind and value, ports, tags, schedule, the verification method and an
//! attestation's reason. No I/O here (the SSRF guard's check of a value is in `guard`).

use crate::error::SurfaceError;
use crate::model::{AuthMethod, Ports, Tags};
use crate::schedule::Schedule;
use platform::FieldCode;
use surface_engine::values::{AssetError, AssetKind, AssetValue, CidrError};

/// Longest asset value text looked at (a domain is at most 253 characters once encoded).
const MAX_VALUE_CHARS: usize = 1000;
const MAX_REASON_CHARS: usize = 1000;

/// An asset to create, or the changes to one (absent fields stay as they are).
#[derive(Clone, Debug, Default)]
pub struct AssetInput {
    pub kind: Option<String>,
    pub value: Option<String>,
    pub ports: Option<String>,
    pub tags: Option<Vec<String>>,
    /// An interval or cron expression; on a change, empty removes the schedule.
    pub schedule: Option<String>,
}

pub(crate) fn required(field: &'static str) -> SurfaceError {
    SurfaceError::invalid(field, FieldCode::REQUIRED, "this field is required")
}

pub fn parse_kind(text: &str) -> Result<AssetKind, SurfaceError> {
    AssetKind::parse(text).map_err(|_| {
        SurfaceError::invalid("kind", FieldCode::INVALID_KIND, "one of domain, ip or cidr")
    })
}

/// The value of an asset of `kind`, normalized (lowercase IDNA domains, canonical addresses).
pub fn parse_value(kind: AssetKind, text: &str) -> Result<AssetValue, SurfaceError> {
    if text.chars().count() > MAX_VALUE_CHARS {
        return Err(SurfaceError::invalid("value", FieldCode::TOO_LONG, "at most 1000 characters"));
    }
    AssetValue::parse(kind, text.trim()).map_err(|error| {
        let code = match &error {
            AssetError::UnknownKind(_) => FieldCode::INVALID_KIND,
            AssetError::Domain(_) => FieldCode::INVALID_DOMAIN,
            AssetError::Ip { .. } => FieldCode::INVALID_IP,
            AssetError::Cidr(CidrError::TooLarge { .. }) => FieldCode::CIDR_TOO_LARGE,
            AssetError::Cidr(_) => FieldCode::INVALID_CIDR,
        };
        SurfaceError::invalid("value", code, shorten(&error.to_string()))
    })
}

pub fn parse_ports(text: &str) -> Result<Ports, SurfaceError> {
    Ports::parse(text).map_err(|message| {
        SurfaceError::invalid("ports", FieldCode::INVALID_PORTS, shorten(&message))
    })
}

pub fn parse_tags(tags: &[String]) -> Result<Tags, SurfaceError> {
    Tags::parse(tags).map_err(|message| {
        let code =
            if tags.len() > Tags::MAX { FieldCode::TOO_MANY } else { FieldCode::INVALID_TAG };
        SurfaceError::invalid("tags", code, message)
    })
}

pub fn parse_tag(field: &'static str, tag: &str) -> Result<String, SurfaceError> {
    Tags::parse_one(tag)
        .map_err(|message| SurfaceError::invalid(field, FieldCode::INVALID_TAG, message))
}

pub fn parse_schedule(text: &str) -> Result<Schedule, SurfaceError> {
    if text.chars().count() > 200 {
        return Err(SurfaceError::invalid(
            "schedule",
            FieldCode::TOO_LONG,
            "at most 200 characters",
        ));
    }
    Schedule::parse(text)
        .map_err(|message| SurfaceError::invalid("schedule", FieldCode::INVALID_SCHEDULE, message))
}

/// A method `verify` may be asked to use (an attestation has its own operation).
pub fn parse_method(text: &str) -> Result<AuthMethod, SurfaceError> {
    match AuthMethod::parse(text) {
        Some(method) if method != AuthMethod::Attestation => Ok(method),
        _ => Err(SurfaceError::invalid(
            "method",
            FieldCode::INVALID_METHOD,
            "one of dns_txt, http_file or reverse_dns (attest with POST /v1/assets/{id}/attest)",
        )),
    }
}

/// An attestation's reason: 1 to 1000 characters, no control characters except new lines.
pub fn parse_reason(text: Option<&str>) -> Result<String, SurfaceError> {
    let reason = text.map(str::trim).unwrap_or_default();
    if reason.is_empty() {
        return Err(SurfaceError::invalid(
            "reason",
            FieldCode::REQUIRED,
            "say why the tenant may scan this asset (a contract, a ticket)",
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS
        || reason.chars().any(|c| c.is_control() && c != '\n')
    {
        return Err(SurfaceError::invalid(
            "reason",
            FieldCode::INVALID_TEXT,
            "1 to 1000 characters, no control characters",
        ));
    }
    Ok(reason.to_string())
}

/// A message repeats at most 300 characters of what the client sent.
fn shorten(message: &str) -> String {
    match message.char_indices().nth(300) {
        Some((end, _)) => format!("{}…", &message[..end]),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(error: SurfaceError) -> &'static str {
        match error {
            SurfaceError::Invalid(invalid) => invalid.code.as_str(),
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn values_are_normalized_and_bad_ones_name_their_code() {
        let domain = parse_value(AssetKind::Domain, " Bücher.Example. ").map(|v| v.to_string());
        assert_eq!(domain.ok().as_deref(), Some("xn--bcher-kva.example"));
        let ip = parse_value(AssetKind::Ip, "2001:DB8::1").map(|v| v.to_string());
        assert_eq!(ip.ok().as_deref(), Some("2001:db8::1"));
        let cases = [
            (AssetKind::Domain, "exa mple.com", "INVALID_DOMAIN"),
            (AssetKind::Domain, "a\u{0}b.com", "INVALID_DOMAIN"),
            (AssetKind::Ip, "999.1.1.1", "INVALID_IP"),
            (AssetKind::Cidr, "10.0.0.1/8", "INVALID_CIDR"),
            (AssetKind::Cidr, "10.0.0.0/33", "INVALID_CIDR"),
            (AssetKind::Cidr, "10.0.0.0/15", "CIDR_TOO_LARGE"),
        ];
        for (kind, text, expected) in cases {
            assert_eq!(code(parse_value(kind, text).unwrap_err()), expected, "{text}");
        }
        assert_eq!(
            code(parse_value(AssetKind::Domain, &"a".repeat(5000)).unwrap_err()),
            "TOO_LONG"
        );
    }

    #[test]
    fn methods_reasons_and_schedules_are_checked() {
        assert_eq!(parse_method("http_file").ok(), Some(AuthMethod::HttpFile));
        assert_eq!(code(parse_method("attestation").unwrap_err()), "INVALID_METHOD");
        assert_eq!(code(parse_reason(Some("  ")).unwrap_err()), "REQUIRED");
        assert_eq!(code(parse_reason(Some("a\u{7}b")).unwrap_err()), "INVALID_TEXT");
        assert!(parse_reason(Some("contract 42\nsigned")).is_ok());
        assert_eq!(code(parse_schedule("* * * * *").unwrap_err()), "INVALID_SCHEDULE");
        assert_eq!(code(parse_tags(&vec!["a".into(); 21]).unwrap_err()), "TOO_MANY");
    }
}
