//! Credential formats: HS256 access tokens ([`jwt`]), opaque refresh tokens ([`refresh`]) and API
//! keys ([`api_key`]) — how each is generated, written, parsed and checked.
//!
//! It owns the wire formats, the server-side keys that sign or pepper them ([`JwtKeys`],
//! [`ApiKeyPepper`]) and the rule that such a key has at least [`MIN_KEY_BYTES`] bytes. It must not
//! touch the database, the clock (callers pass `now`), HTTP or logs: whether a well-formed
//! credential is still valid (revoked, spent, expired key) is decided by the service with the
//! store. Secrets live in [`platform::Secret`] so that no `Debug` output can show them.

pub mod api_key;
pub mod email_token;
pub mod jwt;
pub mod refresh;

pub use api_key::{
    ApiKeyFormatError, ApiKeyPepper, NewApiKey, PresentedApiKey, looks_like_api_key,
};
pub use email_token::{BadToken, TokenFor, TokenKey};
pub use jwt::{AccessClaims, JwtKeys, TokenError};
pub use refresh::{RefreshToken, RefreshTokenFormatError};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// Fewest bytes a signing key or pepper may have: HMAC-SHA256 is only as strong as its key.
pub const MIN_KEY_BYTES: usize = 32;

/// A signing key or pepper was refused. It reports the length only, never the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the key has {len} bytes; at least {MIN_KEY_BYTES} are required")]
pub struct KeyTooShort {
    pub len: usize,
}

/// An HMAC-SHA256 keyed with `key`, once the key is long enough.
pub(crate) fn keyed_hmac(key: &[u8]) -> Result<Hmac<Sha256>, KeyTooShort> {
    let len = key.len();
    if len < MIN_KEY_BYTES {
        return Err(KeyTooShort { len });
    }
    // HMAC accepts keys of any length, so this error cannot happen; it is mapped, not unwrapped.
    Hmac::<Sha256>::new_from_slice(key).map_err(|_| KeyTooShort { len })
}

/// Characters of the base64url (unpadded) text of 32 random bytes.
pub(crate) const RANDOM_TEXT_LEN: usize = 43;

/// 32 bytes from the thread's CSPRNG, as unpadded base64url (43 characters).
pub(crate) fn random_text() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether `text` is exactly what [`random_text`] produces: 43 canonical base64url characters
/// (no padding, no stray trailing bits) decoding to 32 bytes.
pub(crate) fn is_random_text(text: &str) -> bool {
    text.len() == RANDOM_TEXT_LEN
        && URL_SAFE_NO_PAD.decode(text).is_ok_and(|bytes| bytes.len() == 32)
}

/// Whether every character of `text` is a lowercase hex digit (and there is at least one).
pub(crate) fn is_lower_hex(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_shorter_than_32_bytes_are_refused_and_longer_ones_accepted() {
        for (len, ok) in [(0, false), (31, false), (32, true), (64, true), (200, true)] {
            assert_eq!(keyed_hmac(&vec![7u8; len]).is_ok(), ok, "key of {len} bytes");
        }
        assert_eq!(keyed_hmac(&[1u8; 5]).err(), Some(KeyTooShort { len: 5 }));
    }

    #[test]
    fn random_text_is_43_canonical_characters_and_differs_each_time() {
        let (a, b) = (random_text(), random_text());
        assert!(is_random_text(&a) && is_random_text(&b));
        assert_ne!(a, b);
    }

    #[test]
    fn random_text_check_refuses_padding_wrong_length_and_non_canonical_bits() {
        let good = random_text();
        let non_canonical = format!("{}B", &"A".repeat(42)); // last char carries set trailing bits
        for bad in [
            "".to_string(),
            format!("{good}="),
            good[..42].to_string(),
            format!("{good}A"),
            format!("{}+", &good[..42]),
            non_canonical,
        ] {
            assert!(!is_random_text(&bad), "{bad:?} accepted");
        }
    }

    #[test]
    fn lower_hex_check_refuses_upper_case_and_other_letters() {
        assert!(is_lower_hex("0123456789abcdef"));
        for bad in ["", "ABCDEF", "abcdeg", "12 34"] {
            assert!(!is_lower_hex(bad), "{bad:?} accepted");
        }
    }
}
