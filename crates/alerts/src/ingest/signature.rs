//! Proving a push comes from its source, over the exact bytes received and before they are
//! parsed. A token is compared by its SHA-256 digest in constant time. A Standard Webhooks
//! signature is `v1,<base64 HMAC-SHA256>` of `<webhook-id>.<webhook-timestamp>.<body>` keyed
//! with the decoded `whsec_` secret; a `X-Signature-256: sha256=<hex>` signature is the
//! HMAC-SHA256 of `<X-Signature-Timestamp>.<body>` keyed with the secret's text. Both are
//! compared in constant time, and a timestamp further than the replay window from now is a
//! replay, whatever its signature.

use crate::error::AlertsError;
use crate::model::SourceAuth;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// What a push presented, as the HTTP edge read it from its headers (and `?token=`).
#[derive(Clone, Debug, Default)]
pub struct IngestHeaders {
    pub token: Option<String>,
    pub webhook_id: Option<String>,
    pub webhook_timestamp: Option<String>,
    pub webhook_signature: Option<String>,
    pub signature_256: Option<String>,
    pub signature_timestamp: Option<String>,
}

/// The SHA-256 a token is stored as.
pub fn token_digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Checks a presented token against the stored digest.
pub fn verify_token(stored: &[u8], headers: &IngestHeaders) -> Result<(), AlertsError> {
    let presented = headers.token.as_deref().ok_or(AlertsError::Unauthenticated(MISSING))?;
    match bool::from(token_digest(presented).ct_eq(stored)) {
        true => Ok(()),
        false => Err(AlertsError::Unauthenticated(REFUSED)),
    }
}

const MISSING: &str = "this source authenticates with X-Palisade-Token (or ?token=)";
const REFUSED: &str = "the source's credential is not valid";

/// Checks a signed push: its timestamp within `window_secs` of `now`, then its signature.
pub fn verify_signature(
    auth: SourceAuth,
    secret: &[u8],
    headers: &IngestHeaders,
    body: &[u8],
    now: i64,
    window_secs: i64,
) -> Result<(), AlertsError> {
    match auth {
        SourceAuth::Token => Err(AlertsError::Unauthenticated(REFUSED)),
        SourceAuth::StandardWebhooks => {
            let (Some(id), Some(timestamp), Some(signatures)) =
                (&headers.webhook_id, &headers.webhook_timestamp, &headers.webhook_signature)
            else {
                return Err(AlertsError::Unauthenticated(
                    "this source signs with webhook-id, webhook-timestamp and webhook-signature",
                ));
            };
            fresh(timestamp, now, window_secs)?;
            let key = secret_key(secret)?;
            let signed = [id.as_bytes(), b".", timestamp.as_bytes(), b".", body];
            let any = signatures.split_whitespace().any(|entry| {
                let Some(("v1", encoded)) = entry.split_once(',') else { return false };
                STANDARD.decode(encoded).is_ok_and(|signature| matches(&key, &signed, &signature))
            });
            any.then_some(()).ok_or(AlertsError::BadSignature)
        }
        SourceAuth::Signature256 => {
            let (Some(signature), Some(timestamp)) =
                (&headers.signature_256, &headers.signature_timestamp)
            else {
                return Err(AlertsError::Unauthenticated(
                    "this source signs with X-Signature-256 and X-Signature-Timestamp",
                ));
            };
            fresh(timestamp, now, window_secs)?;
            let hex = signature.trim().strip_prefix("sha256=").ok_or(AlertsError::BadSignature)?;
            let signature = hex::decode(hex).map_err(|_| AlertsError::BadSignature)?;
            let signed = [timestamp.as_bytes(), b".", body];
            matches(secret, &signed, &signature).then_some(()).ok_or(AlertsError::BadSignature)
        }
    }
}

/// A Standard Webhooks secret (`whsec_<base64>`) is the bytes it encodes.
fn secret_key(secret: &[u8]) -> Result<Vec<u8>, AlertsError> {
    let text = std::str::from_utf8(secret).map_err(|_| AlertsError::BadSignature)?;
    let encoded = text.strip_prefix("whsec_").unwrap_or(text);
    STANDARD.decode(encoded).map_err(|_| AlertsError::BadSignature)
}

fn fresh(timestamp: &str, now: i64, window_secs: i64) -> Result<(), AlertsError> {
    let at: i64 = timestamp.trim().parse().map_err(|_| AlertsError::Replayed(window_secs))?;
    match now.checked_sub(at).map(i64::abs) {
        Some(skew) if skew <= window_secs => Ok(()),
        _ => Err(AlertsError::Replayed(window_secs)),
    }
}

/// HMAC-SHA256 of the concatenated parts, compared in constant time.
fn matches(key: &[u8], parts: &[&[u8]], signature: &[u8]) -> bool {
    mac(key, parts).is_some_and(|mac| mac.verify_slice(signature).is_ok())
}

fn mac(key: &[u8], parts: &[&[u8]]) -> Option<HmacSha256> {
    // HMAC accepts keys of any length, so this is `None` only in theory.
    let mut mac = HmacSha256::new_from_slice(key).ok()?;
    parts.iter().for_each(|part| mac.update(part));
    Some(mac)
}

/// Signs like a Standard Webhooks sender (for tests, examples and the benchmark).
pub fn standard_webhooks_signature(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    let key = secret_key(secret.as_bytes()).unwrap_or_default();
    let prefix = format!("{id}.{timestamp}.");
    let signature = mac(&key, &[prefix.as_bytes(), body]).map(|m| m.finalize().into_bytes());
    format!("v1,{}", STANDARD.encode(signature.unwrap_or_default()))
}

/// Signs like a `X-Signature-256` sender.
pub fn signature_256(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let prefix = format!("{timestamp}.");
    let signature =
        mac(secret.as_bytes(), &[prefix.as_bytes(), body]).map(|m| m.finalize().into_bytes());
    format!("sha256={}", hex::encode(signature.unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    fn webhooks(signature: String, timestamp: i64) -> IngestHeaders {
        IngestHeaders {
            webhook_id: Some("msg_1".into()),
            webhook_timestamp: Some(timestamp.to_string()),
            webhook_signature: Some(signature),
            ..IngestHeaders::default()
        }
    }

    #[test]
    fn a_standard_webhooks_signature_verifies_and_a_changed_body_does_not() {
        let body = br#"{"title": "x"}"#;
        let signature = standard_webhooks_signature(SECRET, "msg_1", NOW, body);
        let headers = webhooks(format!("v1,AAAA {signature}"), NOW);
        let verify = |body: &[u8]| {
            verify_signature(
                SourceAuth::StandardWebhooks,
                SECRET.as_bytes(),
                &headers,
                body,
                NOW,
                300,
            )
        };
        assert!(verify(body).is_ok());
        assert!(matches!(verify(br#"{"title": "y"}"#), Err(AlertsError::BadSignature)));
    }

    #[test]
    fn a_timestamp_outside_the_window_is_a_replay_even_when_signed() {
        let body = b"{}";
        let old = NOW - 301;
        let headers = webhooks(standard_webhooks_signature(SECRET, "msg_1", old, body), old);
        let refused = verify_signature(
            SourceAuth::StandardWebhooks,
            SECRET.as_bytes(),
            &headers,
            body,
            NOW,
            300,
        );
        assert!(matches!(refused, Err(AlertsError::Replayed(300))));
    }

    #[test]
    fn an_x_signature_256_covers_timestamp_and_body() {
        let secret = "8f2c0b6d9e";
        let body = b"[1]";
        let mut headers = IngestHeaders {
            signature_256: Some(signature_256(secret, NOW, body)),
            signature_timestamp: Some(NOW.to_string()),
            ..IngestHeaders::default()
        };
        let verify = |headers: &IngestHeaders| {
            verify_signature(
                SourceAuth::Signature256,
                secret.as_bytes(),
                headers,
                body,
                NOW + 10,
                300,
            )
        };
        assert!(verify(&headers).is_ok());
        headers.signature_timestamp = Some((NOW + 1).to_string());
        assert!(matches!(verify(&headers), Err(AlertsError::BadSignature)));
        headers.signature_256 = Some("sha256=zz".into());
        assert!(matches!(verify(&headers), Err(AlertsError::BadSignature)));
    }

    #[test]
    fn a_token_is_compared_by_digest() {
        let stored = token_digest("pit_abc");
        let with =
            |token: &str| IngestHeaders { token: Some(token.into()), ..IngestHeaders::default() };
        assert!(verify_token(&stored, &with("pit_abc")).is_ok());
        assert!(verify_token(&stored, &with("pit_abd")).is_err());
        assert!(verify_token(&stored, &IngestHeaders::default()).is_err());
    }
}
