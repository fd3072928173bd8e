//! `X-Hub-Signature-256`: `sha256=` and the hex HMAC-SHA256 of the raw request body under the
//! webhook secret. Verified on the bytes as received (before any parsing) and compared in
//! constant time, so neither a re-encoded body nor timing tells anything about the secret.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The header value GitHub would send for `body` under `secret`.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    match HmacSha256::new_from_slice(secret) {
        Ok(mac) => {
            format!("sha256={}", hex::encode(mac.chain_update(body).finalize().into_bytes()))
        }
        Err(_) => String::new(),
    }
}

/// Checks `header` (the `X-Hub-Signature-256` value) against `body`; the error says why in
/// words that reveal nothing about the secret.
pub fn verify(secret: &[u8], body: &[u8], header: Option<&str>) -> Result<(), &'static str> {
    let header = header.ok_or("the delivery has no X-Hub-Signature-256 header")?;
    let hex_digest =
        header.trim().strip_prefix("sha256=").ok_or("X-Hub-Signature-256 is not sha256=<hex>")?;
    let claimed = hex::decode(hex_digest).map_err(|_| "X-Hub-Signature-256 is not sha256=<hex>")?;
    let mac = HmacSha256::new_from_slice(secret).map_err(|_| "the webhook secret is unusable")?;
    // `verify_slice` compares in constant time.
    mac.chain_update(body)
        .verify_slice(&claimed)
        .map_err(|_| "X-Hub-Signature-256 does not match the body under the webhook secret")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_example_of_githubs_webhook_documentation() {
        // GitHub's documented example: secret "It's a Secret to Everybody", body "Hello, World!".
        let expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assert_eq!(sign(b"It's a Secret to Everybody", b"Hello, World!"), expected);
        assert!(verify(b"It's a Secret to Everybody", b"Hello, World!", Some(expected)).is_ok());
    }

    #[test]
    fn a_changed_body_another_secret_or_a_malformed_header_is_refused() {
        let good = sign(b"secret", b"{\"a\":1}");
        assert!(verify(b"secret", b"{\"a\": 1}", Some(&good)).is_err());
        assert!(verify(b"other", b"{\"a\":1}", Some(&good)).is_err());
        for bad in [None, Some("sha1=abc"), Some("sha256=zz"), Some("sha256="), Some("")] {
            assert!(verify(b"secret", b"{\"a\":1}", bad).is_err(), "{bad:?}");
        }
        let upper = good.to_uppercase().replace("SHA256=", "sha256=");
        assert!(verify(b"secret", b"{\"a\":1}", Some(&upper)).is_ok(), "hex case does not matter");
    }
}
