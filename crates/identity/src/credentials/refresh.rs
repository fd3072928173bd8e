//! Refresh tokens: opaque random strings of the form `prt_<tenant>_<secret>`.
//!
//! It owns the format — `prt_`, the tenant UUID as 32 lowercase hex characters, `_`, then 43
//! base64url characters of 32 random bytes — its strict parsing, and the SHA-256 hash the
//! database stores instead of the token. The tenant is embedded so the server can open the right
//! tenant-scoped transaction before the lookup; it is a routing hint, not proof of anything. It
//! must not decide whether a token is still valid (spent, revoked, expired: the store knows), nor
//! let the token reach a `Debug` string or an error.

use super::{RANDOM_TEXT_LEN, is_lower_hex, is_random_text, random_text};
use platform::{Secret, TenantId};
use sha2::{Digest, Sha256};
use uuid::Uuid;

const PREFIX: &str = "prt_";
const TENANT_HEX_LEN: usize = 32;

/// Length of every refresh token, in bytes (all ASCII).
pub const REFRESH_TOKEN_LEN: usize = PREFIX.len() + TENANT_HEX_LEN + 1 + RANDOM_TEXT_LEN;

/// The text presented is not a refresh token. Says nothing about the text on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a well-formed refresh token")]
pub struct RefreshTokenFormatError;

/// A refresh token, either freshly generated or parsed from a client's request.
#[derive(Clone, Debug)]
pub struct RefreshToken {
    token: Secret<String>,
    tenant: TenantId,
}

impl RefreshToken {
    /// A new random token for a session in `tenant`.
    pub fn generate(tenant: TenantId) -> RefreshToken {
        let token = format!("{PREFIX}{}_{}", tenant.as_uuid().simple(), random_text());
        RefreshToken { token: Secret::new(token), tenant }
    }

    /// The token in `text`, which must be exactly in the generated format.
    pub fn parse(text: &str) -> Result<RefreshToken, RefreshTokenFormatError> {
        if text.len() != REFRESH_TOKEN_LEN {
            return Err(RefreshTokenFormatError);
        }
        let rest = text.strip_prefix(PREFIX).ok_or(RefreshTokenFormatError)?;
        let (tenant_hex, rest) =
            rest.split_at_checked(TENANT_HEX_LEN).ok_or(RefreshTokenFormatError)?;
        let secret = rest.strip_prefix('_').ok_or(RefreshTokenFormatError)?;
        if !is_lower_hex(tenant_hex) || !is_random_text(secret) {
            return Err(RefreshTokenFormatError);
        }
        let tenant = Uuid::try_parse(tenant_hex).map_err(|_| RefreshTokenFormatError)?;
        Ok(RefreshToken {
            token: Secret::new(text.to_string()),
            tenant: TenantId::from_uuid(tenant),
        })
    }

    /// The tenant the token was issued in, as written in the token.
    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    /// SHA-256 of the whole token text: what the database stores and looks the token up by.
    pub fn hash(&self) -> [u8; 32] {
        Sha256::digest(self.token.expose().as_bytes()).into()
    }

    /// The token text, to hand to the client once.
    pub fn expose(&self) -> &str {
        self.token.expose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_token_parses_back_with_its_tenant_and_hash() {
        let tenant = TenantId::generate();
        let token = RefreshToken::generate(tenant);
        assert_eq!(token.expose().len(), REFRESH_TOKEN_LEN);
        assert!(token.expose().starts_with(&format!("prt_{}_", tenant.as_uuid().simple())));
        let parsed = RefreshToken::parse(token.expose()).unwrap();
        assert_eq!(parsed.expose(), token.expose());
        assert_eq!(parsed.tenant(), tenant);
        assert_eq!(parsed.hash(), token.hash());
    }

    #[test]
    fn underscores_and_dashes_in_the_secret_are_part_of_it() {
        let text = format!("prt_{}_{}A", TenantId::PLATFORM.as_uuid().simple(), "_-".repeat(21));
        let token = RefreshToken::parse(&text).unwrap();
        assert_eq!((token.tenant(), token.expose()), (TenantId::PLATFORM, text.as_str()));
    }

    #[test]
    fn the_hash_is_sha256_of_the_whole_token() {
        let token = RefreshToken::generate(TenantId::generate());
        let expected: [u8; 32] = Sha256::digest(token.expose().as_bytes()).into();
        assert_eq!(token.hash(), expected);
    }

    #[test]
    fn two_generated_tokens_differ_even_in_one_tenant() {
        let tenant = TenantId::generate();
        let (a, b) = (RefreshToken::generate(tenant), RefreshToken::generate(tenant));
        assert_ne!(a.expose(), b.expose());
        assert_ne!(a.hash(), b.hash());
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let good = RefreshToken::generate(TenantId::generate()).expose().to_string();
        let (head, secret) = good.split_at(PREFIX.len() + TENANT_HEX_LEN + 1);
        let hex = &head[PREFIX.len()..PREFIX.len() + TENANT_HEX_LEN];
        let cases = [
            String::new(),
            "prt_".into(),
            format!("prx_{}", &good[4..]),
            format!("pal_{}", &good[4..]),
            format!("PRT_{}", &good[4..]),
            format!("prt_{}_{secret}", hex.to_uppercase()),
            format!("prt_{}g_{secret}", &hex[..31]),
            format!("prt_{}-_{secret}", &hex[..31]),
            format!("prt_{hex}-{secret}"),
            format!("{head}{}", &secret[..42]),
            format!("{head}{secret}A"),
            format!("{head}{}=", &secret[..42]),
            format!("{head}{}+", &secret[..42]),
            format!("{head}{}é", &secret[..41]),
            format!(" {}", &good[1..]),
            format!("{good}\n"),
        ];
        for bad in cases {
            assert_eq!(RefreshToken::parse(&bad).err(), Some(RefreshTokenFormatError), "{bad:?}");
        }
    }

    #[test]
    fn debug_shows_the_tenant_but_not_the_token() {
        let token = RefreshToken::generate(TenantId::generate());
        let shown = format!("{token:?}");
        let secret = &token.expose()[PREFIX.len() + TENANT_HEX_LEN + 1..];
        assert!(shown.contains(&token.tenant().to_string()), "{shown}");
        assert!(shown.contains("[redacted]") && !shown.contains(secret), "{shown}");
        assert!(!shown.contains(token.expose()));
    }
}
