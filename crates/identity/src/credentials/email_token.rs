//! Single-use tokens sent by email: an invitation (`pinv_`), a password reset (`prst_`) and an
//! address verification (`pver_`).
//!
//! A token names its row and proves it was made here: `pinv_<tenant hex>_<id hex>_<mac>`,
//! `prst_<id hex>_<mac>`, `pver_<id hex>_<mac>`, where the mac is HMAC-SHA256 under the server's
//! token key of the kind, tenant and id, in lowercase hex (base64url could itself contain the `_`
//! separator). Nothing secret is stored: the row says only
//! whether the token was used and when it expires, so a copy of the database opens nothing, and a
//! job that mails a token carries the row id alone. It must not decide whether a token is still
//! usable (the service reads the row) nor let a token reach a `Debug` string.

use super::{KeyTooShort, is_lower_hex, keyed_hmac};
use hmac::{Hmac, Mac};
use platform::{Secret, TenantId};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use uuid::Uuid;

const HEX_LEN: usize = 32;
/// HMAC-SHA256 output in hex.
const MAC_HEX_LEN: usize = 64;

/// What a token is for, and where its row lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenFor {
    /// An invitation to `tenant` (the row is tenant-owned).
    Invitation {
        tenant: TenantId,
        id: Uuid,
    },
    PasswordReset {
        id: Uuid,
    },
    EmailVerification {
        id: Uuid,
    },
}

impl TokenFor {
    fn prefix(&self) -> &'static str {
        match self {
            TokenFor::Invitation { .. } => "pinv",
            TokenFor::PasswordReset { .. } => "prst",
            TokenFor::EmailVerification { .. } => "pver",
        }
    }

    /// The text the mac covers: the kind, then every id of the row.
    fn signed_text(&self) -> String {
        match self {
            TokenFor::Invitation { tenant, id } => {
                format!("pinv|{}|{}", tenant.as_uuid().simple(), id.simple())
            }
            TokenFor::PasswordReset { id } => format!("prst|{}", id.simple()),
            TokenFor::EmailVerification { id } => format!("pver|{}", id.simple()),
        }
    }

    fn visible_text(&self) -> String {
        match self {
            TokenFor::Invitation { tenant, id } => {
                format!("pinv_{}_{}", tenant.as_uuid().simple(), id.simple())
            }
            TokenFor::PasswordReset { id } | TokenFor::EmailVerification { id } => {
                format!("{}_{}", self.prefix(), id.simple())
            }
        }
    }
}

/// The token is not one of ours, or not of the kind expected. Says nothing more on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a valid token")]
pub struct BadToken;

/// The server key every email token is made and checked with.
#[derive(Clone)]
pub struct TokenKey(Hmac<Sha256>);

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey([redacted])")
    }
}

impl TokenKey {
    pub fn new(key: impl AsRef<[u8]>) -> Result<TokenKey, KeyTooShort> {
        keyed_hmac(key.as_ref()).map(TokenKey)
    }

    fn mac(&self, what: &TokenFor) -> [u8; 32] {
        let mut mac = self.0.clone();
        mac.update(what.signed_text().as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The token for `what`: always the same text for the same row and key.
    pub fn token(&self, what: &TokenFor) -> Secret<String> {
        let mac = hex::encode(self.mac(what));
        Secret::new(format!("{}_{mac}", what.visible_text()))
    }

    /// What `text` is a token for, if it is a token of this key.
    pub fn check(&self, text: &str) -> Result<TokenFor, BadToken> {
        let (what, presented) = parse(text.trim())?;
        let presented = hex::decode(presented).map_err(|_| BadToken)?;
        match bool::from(presented.as_slice().ct_eq(&self.mac(&what))) {
            true => Ok(what),
            false => Err(BadToken),
        }
    }
}

/// The row a well-formed token names and the mac it presents (not yet checked).
fn parse(text: &str) -> Result<(TokenFor, &str), BadToken> {
    let parts: Vec<&str> = text.split('_').collect();
    let hex_id = |part: &str| match part.len() == HEX_LEN && is_lower_hex(part) {
        true => Uuid::parse_str(part).map_err(|_| BadToken),
        false => Err(BadToken),
    };
    let mac_ok = |part: &str| part.len() == MAC_HEX_LEN && is_lower_hex(part);
    match parts.as_slice() {
        ["pinv", tenant, id, mac] if mac_ok(mac) => {
            let tenant = TenantId::from_uuid(hex_id(tenant)?);
            Ok((TokenFor::Invitation { tenant, id: hex_id(id)? }, mac))
        }
        ["prst", id, mac] if mac_ok(mac) => Ok((TokenFor::PasswordReset { id: hex_id(id)? }, mac)),
        ["pver", id, mac] if mac_ok(mac) => {
            Ok((TokenFor::EmailVerification { id: hex_id(id)? }, mac))
        }
        _ => Err(BadToken),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> TokenKey {
        TokenKey::new([byte; 32]).unwrap()
    }

    #[test]
    fn a_token_checks_back_to_the_row_it_was_made_for() {
        let (tenant, id) = (TenantId::generate(), Uuid::now_v7());
        for what in [
            TokenFor::Invitation { tenant, id },
            TokenFor::PasswordReset { id },
            TokenFor::EmailVerification { id },
        ] {
            let token = key(1).token(&what);
            assert_eq!(key(1).check(token.expose()), Ok(what));
        }
    }

    #[test]
    fn every_token_of_many_checks_back() {
        // The separator must never appear inside the mac, whatever bytes the mac has.
        for _ in 0..500 {
            let what = TokenFor::PasswordReset { id: Uuid::now_v7() };
            assert_eq!(key(3).check(key(3).token(&what).expose()), Ok(what));
        }
    }

    #[test]
    fn another_key_a_changed_id_or_a_swapped_kind_is_refused() {
        let id = Uuid::now_v7();
        let token = key(1).token(&TokenFor::PasswordReset { id });
        assert_eq!(key(2).check(token.expose()), Err(BadToken));
        let swapped = token.expose().replacen("prst", "pver", 1);
        assert_eq!(key(1).check(&swapped), Err(BadToken));
        let other =
            token.expose().replace(&id.simple().to_string(), &Uuid::nil().simple().to_string());
        assert_eq!(key(1).check(&other), Err(BadToken));
        for junk in ["", "prst_", "prst_xyz_abc", "pinv_a_b_c", &format!("{}x", token.expose())] {
            assert_eq!(key(1).check(junk), Err(BadToken), "{junk}");
        }
    }

    #[test]
    fn debug_never_shows_the_key() {
        assert_eq!(format!("{:?}", key(9)), "TokenKey([redacted])");
    }
}
