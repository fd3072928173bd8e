//! API keys: `pal_<prefix>_<secret>`, shown to their creator once and stored only as a digest.
//!
//! It owns the format — `pal_`, a public prefix of 12 lowercase hex characters (6 random bytes)
//! that finds the key's row, `_`, then 43 base64url characters of 32 random bytes — its strict
//! parsing, and the [`ApiKeyPepper`] that turns a key into the HMAC-SHA256 digest the database
//! stores and compares it in constant time. The secret part may itself contain `_` and `-`, so a
//! key is split by position (after `pal_` and 12 characters), never on every `_`. It must not look
//! keys up, judge expiry, revocation or scopes (the service does), or let a key or the pepper
//! reach a `Debug` string or an error.

use super::{KeyTooShort, RANDOM_TEXT_LEN, is_lower_hex, is_random_text, keyed_hmac, random_text};
use hmac::{Hmac, Mac};
use platform::Secret;
use rand::RngCore;
use sha2::Sha256;
use std::fmt;
use std::fmt::Write as _;

const SCHEME: &str = "pal_";

/// Characters of the public prefix.
pub const PREFIX_LEN: usize = 12;

/// Length of every API key, in bytes (all ASCII).
pub const API_KEY_LEN: usize = SCHEME.len() + PREFIX_LEN + 1 + RANDOM_TEXT_LEN;

/// Whether a bearer credential is meant as an API key rather than an access token.
pub fn looks_like_api_key(bearer: &str) -> bool {
    bearer.starts_with(SCHEME)
}

/// The text presented is not an API key. Says nothing about the text on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a well-formed API key")]
pub struct ApiKeyFormatError;

/// A key just created: `prefix` goes to the database and the listing, `key` to the creator once.
#[derive(Clone, Debug)]
pub struct NewApiKey {
    pub prefix: String,
    /// The full `pal_…` key.
    pub key: Secret<String>,
}

impl NewApiKey {
    pub fn generate() -> NewApiKey {
        let mut bytes = [0u8; PREFIX_LEN / 2];
        rand::rng().fill_bytes(&mut bytes);
        let mut prefix = String::with_capacity(PREFIX_LEN);
        for byte in bytes {
            // Writing into a String cannot fail.
            let _ = write!(prefix, "{byte:02x}");
        }
        let key = format!("{SCHEME}{prefix}_{}", random_text());
        NewApiKey { prefix, key: Secret::new(key) }
    }
}

/// A well-formed key presented by a client; whether it exists is for the store to say.
#[derive(Clone, Debug)]
pub struct PresentedApiKey {
    prefix: String,
    key: Secret<String>,
}

impl PresentedApiKey {
    /// The key in `text`, which must be exactly in the generated format.
    pub fn parse(text: &str) -> Result<PresentedApiKey, ApiKeyFormatError> {
        if text.len() != API_KEY_LEN {
            return Err(ApiKeyFormatError);
        }
        let rest = text.strip_prefix(SCHEME).ok_or(ApiKeyFormatError)?;
        let (prefix, rest) = rest.split_at_checked(PREFIX_LEN).ok_or(ApiKeyFormatError)?;
        let secret = rest.strip_prefix('_').ok_or(ApiKeyFormatError)?;
        if !is_lower_hex(prefix) || !is_random_text(secret) {
            return Err(ApiKeyFormatError);
        }
        Ok(PresentedApiKey { prefix: prefix.to_string(), key: Secret::new(text.to_string()) })
    }

    /// The public prefix, to look the key up by.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The full `pal_…` key, to digest and compare.
    pub fn expose(&self) -> &str {
        self.key.expose()
    }
}

/// The server-wide secret mixed into every stored API key digest, so a leaked table of digests
/// cannot be checked against guesses without it.
#[derive(Clone)]
pub struct ApiKeyPepper(Hmac<Sha256>);

impl fmt::Debug for ApiKeyPepper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKeyPepper([redacted])")
    }
}

impl ApiKeyPepper {
    /// A pepper of at least 32 bytes.
    pub fn new(pepper: impl AsRef<[u8]>) -> Result<Self, KeyTooShort> {
        keyed_hmac(pepper.as_ref()).map(ApiKeyPepper)
    }

    /// HMAC-SHA256(pepper, full key text): what the database stores.
    pub fn digest(&self, key: &str) -> [u8; 32] {
        let mut mac = self.0.clone();
        mac.update(key.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// Whether `key` has the `stored` digest, compared in constant time.
    pub fn matches(&self, key: &str, stored: &[u8]) -> bool {
        let mut mac = self.0.clone();
        mac.update(key.as_bytes());
        mac.verify_slice(stored).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEPPER: [u8; 32] = *b"pepper-pepper-pepper-pepper-32by";

    fn pepper() -> ApiKeyPepper {
        ApiKeyPepper::new(PEPPER).unwrap()
    }

    #[test]
    fn a_generated_key_parses_digests_and_matches() {
        let new = NewApiKey::generate();
        let key = new.key.expose();
        assert_eq!(key.len(), API_KEY_LEN);
        assert!(key.starts_with(&format!("pal_{}_", new.prefix)) && looks_like_api_key(key));
        assert!(is_lower_hex(&new.prefix) && new.prefix.len() == PREFIX_LEN);
        let presented = PresentedApiKey::parse(key).unwrap();
        assert_eq!((presented.prefix(), presented.expose()), (new.prefix.as_str(), key.as_str()));
        let stored = pepper().digest(key);
        assert!(pepper().matches(presented.expose(), &stored));
    }

    #[test]
    fn the_key_is_split_by_position_so_underscores_in_the_secret_are_kept() {
        let text = format!("pal_0123456789ab_{}A", "_-".repeat(21));
        let presented = PresentedApiKey::parse(&text).unwrap();
        assert_eq!((presented.prefix(), presented.expose()), ("0123456789ab", text.as_str()));
    }

    #[test]
    fn two_generated_keys_differ_in_prefix_and_secret() {
        let (a, b) = (NewApiKey::generate(), NewApiKey::generate());
        assert_ne!(a.prefix, b.prefix);
        assert_ne!(a.key.expose()[17..], b.key.expose()[17..]);
    }

    #[test]
    fn a_one_character_change_does_not_match() {
        let key = NewApiKey::generate().key.expose().clone();
        let stored = pepper().digest(&key);
        for at in [0, 4, 10, 16, 17, 40, API_KEY_LEN - 1] {
            let mut changed = key.clone().into_bytes();
            changed[at] = if changed[at] == b'a' { b'b' } else { b'a' };
            let changed = String::from_utf8(changed).unwrap();
            assert!(!pepper().matches(&changed, &stored), "change at {at} matched");
        }
    }

    #[test]
    fn a_different_pepper_or_a_truncated_digest_does_not_match() {
        let key = NewApiKey::generate().key.expose().clone();
        let stored = pepper().digest(&key);
        let other = ApiKeyPepper::new([7u8; 32]).unwrap();
        assert_ne!(other.digest(&key), stored);
        assert!(!other.matches(&key, &stored));
        for bad in [&stored[..31], &[][..], &[0u8; 32][..]] {
            assert!(!pepper().matches(&key, bad));
        }
    }

    #[test]
    fn malformed_keys_are_refused() {
        let good = NewApiKey::generate().key.expose().clone();
        let (prefix, secret) = (&good[4..16], &good[17..]);
        let cases = [
            String::new(),
            "pal_".into(),
            "pal_short_x".into(),
            format!("xyz_{}", &good[4..]),
            format!("PAL_{}", &good[4..]),
            // Upper-case hex in the prefix (a fixed one: a random prefix may be all digits).
            format!("pal_ABCDEF012345_{secret}"),
            format!("pal_{}z_{secret}", &prefix[..11]),
            format!("pal_{}__{secret}", &prefix[..11]),
            format!("pal_{prefix}-{secret}"),
            format!("pal_{prefix}_{}", &secret[..42]),
            format!("pal_{prefix}_{secret}A"),
            format!("pal_{prefix}_{}=", &secret[..42]),
            format!("pal_{prefix}_{}.", &secret[..42]),
            format!("{good} "),
        ];
        for bad in cases {
            assert_eq!(PresentedApiKey::parse(&bad).err(), Some(ApiKeyFormatError), "{bad:?}");
        }
    }

    #[test]
    fn only_pal_bearers_look_like_api_keys() {
        for (bearer, expected) in
            [("pal_x", true), ("eyJhbGci.x.y", false), ("PAL_x", false), ("", false)]
        {
            assert_eq!(looks_like_api_key(bearer), expected, "{bearer}");
        }
    }

    #[test]
    fn a_pepper_shorter_than_32_bytes_is_refused() {
        assert_eq!(ApiKeyPepper::new([1u8; 31]).err(), Some(KeyTooShort { len: 31 }));
    }

    #[test]
    fn debug_of_keys_and_pepper_shows_no_secret() {
        let new = NewApiKey::generate();
        let presented = PresentedApiKey::parse(new.key.expose()).unwrap();
        let secret = &new.key.expose()[17..];
        for shown in [format!("{new:?}"), format!("{presented:?}")] {
            assert!(shown.contains(&new.prefix) && shown.contains("[redacted]"), "{shown}");
            assert!(!shown.contains(secret), "{shown}");
        }
        let shown = format!("{:?}", pepper());
        assert_eq!(shown, "ApiKeyPepper([redacted])");
    }
}
