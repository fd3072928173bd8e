//! The SSRF guard as channel validation sees it: resolve and check a URL or SMTP host now,
//! within the send timeout, and turn a refusal into a field error with a stable code and a
//! message naming the reason (never the URL's path or query, which may carry a token).

use crate::error::NotifyError;
use crate::model::TlsMode;
use crate::send::Sender;
use crate::send::email::plaintext_allowed;
use platform::FieldCode;
use platform::outbound::{ResolvedTarget, SsrfError};
use std::net::SocketAddr;

const MAX_URL_CHARS: usize = 2048;

/// Codes of one field's refusals: denied address, malformed, unresolvable.
struct Codes {
    denied: FieldCode,
    invalid: FieldCode,
    unresolved: FieldCode,
}

const URL_CODES: Codes = Codes {
    denied: FieldCode::URL_NOT_ALLOWED,
    invalid: FieldCode::INVALID_URL,
    unresolved: FieldCode::URL_NOT_RESOLVABLE,
};
const HOST_CODES: Codes = Codes {
    denied: FieldCode::HOST_NOT_ALLOWED,
    invalid: FieldCode::INVALID_HOST,
    unresolved: FieldCode::HOST_NOT_RESOLVABLE,
};

/// A webhook or Slack URL: `http(s)`, at most 2048 characters, every address it resolves to
/// allowed.
pub(crate) async fn check_url(sender: &Sender, url: &str) -> Result<ResolvedTarget, NotifyError> {
    if url.chars().count() > MAX_URL_CHARS {
        return Err(NotifyError::invalid("url", FieldCode::INVALID_URL, "at most 2048 characters"));
    }
    let resolved = tokio::time::timeout(sender.timeout(), sender.policy().resolve_url(url)).await;
    match resolved {
        Ok(Ok(target)) => Ok(target),
        Ok(Err(error)) => Err(refusal("url", &URL_CODES, &error)),
        Err(_) => Err(NotifyError::invalid(
            "url",
            FieldCode::URL_NOT_RESOLVABLE,
            "resolving the host timed out",
        )),
    }
}

/// An SMTP server: every address allowed, and plain SMTP only to allowlisted addresses.
pub(crate) async fn check_smtp(
    sender: &Sender,
    host: &str,
    port: u16,
    tls: TlsMode,
) -> Result<Vec<SocketAddr>, NotifyError> {
    let resolved =
        tokio::time::timeout(sender.timeout(), sender.policy().resolve(host, port)).await;
    let addrs = match resolved {
        Ok(Ok(addrs)) => addrs,
        Ok(Err(error)) => return Err(refusal("smtp_host", &HOST_CODES, &error)),
        Err(_) => {
            return Err(NotifyError::invalid(
                "smtp_host",
                FieldCode::HOST_NOT_RESOLVABLE,
                "resolving the host timed out",
            ));
        }
    };
    if tls == TlsMode::None && !plaintext_allowed(sender.policy(), &addrs) {
        return Err(NotifyError::invalid(
            "tls",
            FieldCode::TLS_REQUIRED,
            "SMTP without TLS is only allowed to addresses on the operator's allowlist",
        ));
    }
    Ok(addrs)
}

fn refusal(field: &'static str, codes: &Codes, error: &SsrfError) -> NotifyError {
    match error {
        SsrfError::Denied { .. } | SsrfError::MetadataName { .. } => {
            NotifyError::invalid(field, codes.denied, error.to_string())
        }
        SsrfError::NonCanonicalIpv4 { .. } => {
            NotifyError::invalid(field, codes.denied, error.to_string())
        }
        SsrfError::InvalidHost { .. } | SsrfError::InvalidUrl { .. } => {
            NotifyError::invalid(field, codes.invalid, error.to_string())
        }
        SsrfError::Resolve { .. } | SsrfError::NoAddresses { .. } => {
            NotifyError::invalid(field, codes.unresolved, error.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::outbound::OutboundPolicy;
    use std::time::Duration;

    fn sender(policy: OutboundPolicy) -> Sender {
        Sender::new(policy, "https://console.test", Duration::from_secs(5))
    }

    fn code_and_message(error: NotifyError) -> (String, &'static str, String) {
        match error {
            NotifyError::Invalid(invalid) => {
                (invalid.field.into_owned(), invalid.code.as_str(), invalid.message)
            }
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn refused_urls_name_the_field_code_and_reason() {
        let guard = sender(OutboundPolicy::deny_private());
        let cases = [
            ("http://127.0.0.1/hook", "URL_NOT_ALLOWED", "it is a loopback address"),
            ("http://10.0.0.1/hook", "URL_NOT_ALLOWED", "it is a private-use address"),
            ("http://169.254.169.254/latest", "URL_NOT_ALLOWED", "cloud metadata"),
            ("http://[::ffff:127.0.0.1]/", "URL_NOT_ALLOWED", "loopback"),
            ("http://0x7f000001/", "URL_NOT_ALLOWED", "non-canonical"),
            ("http://017700000001/", "URL_NOT_ALLOWED", "non-canonical"),
            ("http://localhost:9/x?token=secret", "URL_NOT_ALLOWED", "resolves to"),
            ("ftp://example.com/", "INVALID_URL", "only http and https"),
        ];
        for (url, code, needle) in cases {
            let (field, got, message) = code_and_message(check_url(&guard, url).await.unwrap_err());
            assert_eq!((field.as_str(), got), ("url", code), "{url}");
            assert!(message.contains(needle), "{url}: {message}");
            assert!(!message.contains("token=secret"), "{message}");
        }
    }

    #[tokio::test]
    async fn plain_smtp_needs_an_allowlisted_relay() {
        let guard = sender(OutboundPolicy::parse_allowlist("127.0.0.0/8").unwrap());
        assert!(check_smtp(&guard, "127.0.0.1", 2525, TlsMode::None).await.is_ok());
        let public = check_smtp(&guard, "8.8.8.8", 25, TlsMode::None).await.unwrap_err();
        assert_eq!(code_and_message(public).1, "TLS_REQUIRED");
        let private = check_smtp(&guard, "10.0.0.1", 25, TlsMode::StartTls).await.unwrap_err();
        assert_eq!(code_and_message(private).1, "HOST_NOT_ALLOWED");
    }
}
