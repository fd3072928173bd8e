//! Access tokens: compact JWTs signed with HMAC-SHA256, written and checked by hand.
//!
//! It owns [`JwtKeys`] (the signing key, issuer and audience), [`AccessClaims`] and the checks a
//! token must pass: the header is pinned to `{"alg":"HS256","typ":"JWT"}`, the signature is
//! compared in constant time *before* the claims are parsed, then issuer, audience, `typ`, expiry
//! and issue time are checked. It must not accept any other algorithm, consult revocation or the
//! database, read the clock (callers pass `now`) or let the key reach a `Debug` string.
//!
//! Time rules: a token is expired once `now >= exp` (no leeway, so a revoked-by-expiry token is
//! never honoured late); `iat` may be at most [`IAT_LEEWAY_SECS`] ahead of `now` to absorb clock
//! skew between the servers sharing the key.

use super::{KeyTooShort, keyed_hmac};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use platform::{TenantId, UserId};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Sha256;
use std::fmt;
use uuid::Uuid;

/// Longest token accepted, in bytes; anything longer is refused before any decoding.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// How far in the future `iat` may lie, in seconds.
pub const IAT_LEEWAY_SECS: i64 = 30;

/// The only `typ` claim an access token carries.
pub const ACCESS_TYPE: &str = "access";

const ALGORITHM: &str = "HS256";
const HEADER_TYPE: &str = "JWT";

/// Why a presented access token is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the token is malformed")]
    Malformed,
    #[error("the token signature is not valid")]
    BadSignature,
    #[error("the token has expired")]
    Expired,
    #[error("the token was issued by someone else")]
    WrongIssuer,
    #[error("the token is meant for another audience")]
    WrongAudience,
    #[error("the token is not an access token")]
    WrongType,
    #[error("the token algorithm is not supported")]
    UnsupportedAlgorithm,
}

/// What an access token says. `sub` acts in tenant `tid` with `role`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    pub sub: UserId,
    pub tid: TenantId,
    pub jti: Uuid,
    /// The session (refresh-token family) the token was issued with; logout revokes it whole.
    pub sid: Uuid,
    /// Always [`ACCESS_TYPE`].
    pub typ: String,
    pub iat: i64,
    pub exp: i64,
    pub role: String,
    /// A tenant the subject acts on behalf of; never set by [`JwtKeys::issue`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act: Option<TenantId>,
}

impl AccessClaims {
    /// The claims as a JSON object. Built value by value so that writing cannot fail.
    fn to_json(&self) -> String {
        let mut map = Map::new();
        map.insert("iss".into(), Value::from(self.iss.as_str()));
        map.insert("aud".into(), Value::from(self.aud.as_str()));
        map.insert("sub".into(), Value::from(self.sub.to_string()));
        map.insert("tid".into(), Value::from(self.tid.to_string()));
        map.insert("jti".into(), Value::from(self.jti.to_string()));
        map.insert("sid".into(), Value::from(self.sid.to_string()));
        map.insert("typ".into(), Value::from(self.typ.as_str()));
        map.insert("iat".into(), Value::from(self.iat));
        map.insert("exp".into(), Value::from(self.exp));
        map.insert("role".into(), Value::from(self.role.as_str()));
        if let Some(act) = self.act {
            map.insert("act".into(), Value::from(act.to_string()));
        }
        Value::Object(map).to_string()
    }
}

/// The JOSE header. Unknown members (`kid`, `crit`, `jku`, ...) and duplicates are refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    alg: Option<String>,
    typ: Option<String>,
}

/// The key that signs and verifies access tokens, with the issuer and audience they name.
#[derive(Clone)]
pub struct JwtKeys {
    mac: Hmac<Sha256>,
    header: String,
    issuer: String,
    audience: String,
}

impl fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtKeys")
            .field("key", &"[redacted]")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish()
    }
}

impl JwtKeys {
    /// Keys for `issuer`/`audience`; `secret` must have at least 32 bytes.
    pub fn new(secret: &[u8], issuer: &str, audience: &str) -> Result<Self, KeyTooShort> {
        let header = format!(r#"{{"alg":"{ALGORITHM}","typ":"{HEADER_TYPE}"}}"#);
        Ok(Self {
            mac: keyed_hmac(secret)?,
            header: URL_SAFE_NO_PAD.encode(header),
            issuer: issuer.to_string(),
            audience: audience.to_string(),
        })
    }

    /// A new access token for `user` in `tenant` within `session`, valid for `ttl` from `now`,
    /// with a fresh `jti`.
    pub fn issue(
        &self,
        user: UserId,
        tenant: TenantId,
        role: &str,
        session: Uuid,
        ttl: chrono::Duration,
        now: DateTime<Utc>,
    ) -> (String, AccessClaims) {
        let iat = now.timestamp();
        let claims = AccessClaims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: user,
            tid: tenant,
            jti: Uuid::new_v4(),
            sid: session,
            typ: ACCESS_TYPE.to_string(),
            iat,
            exp: iat.saturating_add(ttl.num_seconds()),
            role: role.to_string(),
            act: None,
        };
        let payload = URL_SAFE_NO_PAD.encode(claims.to_json());
        (self.sign(&self.header, &payload), claims)
    }

    /// The claims of `token` if it is a genuine, current access token of this issuer/audience.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, TokenError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(TokenError::Malformed);
        }
        let (signing_input, signature) = token.rsplit_once('.').ok_or(TokenError::Malformed)?;
        let (header, payload) = signing_input.split_once('.').ok_or(TokenError::Malformed)?;
        if payload.contains('.') {
            return Err(TokenError::Malformed);
        }

        let header: Header =
            serde_json::from_slice(&decode(header)?).map_err(|_| TokenError::Malformed)?;
        if header.alg.as_deref() != Some(ALGORITHM) {
            return Err(TokenError::UnsupportedAlgorithm);
        }
        if header.typ.as_deref() != Some(HEADER_TYPE) {
            return Err(TokenError::Malformed);
        }

        let mut mac = self.mac.clone();
        mac.update(signing_input.as_bytes());
        mac.verify_slice(&decode(signature)?).map_err(|_| TokenError::BadSignature)?;

        let claims: AccessClaims =
            serde_json::from_slice(&decode(payload)?).map_err(|_| TokenError::Malformed)?;
        if claims.iss != self.issuer {
            return Err(TokenError::WrongIssuer);
        }
        if claims.aud != self.audience {
            return Err(TokenError::WrongAudience);
        }
        if claims.typ != ACCESS_TYPE {
            return Err(TokenError::WrongType);
        }
        let now = now.timestamp();
        if now >= claims.exp {
            return Err(TokenError::Expired);
        }
        if claims.iat > now.saturating_add(IAT_LEEWAY_SECS) {
            // Signed by us yet from the future: a broken clock or a leaked key, never a client.
            return Err(TokenError::Malformed);
        }
        Ok(claims)
    }

    /// `header.payload.signature` for already-encoded `header` and `payload`.
    fn sign(&self, header: &str, payload: &str) -> String {
        let signing_input = format!("{header}.{payload}");
        let mut mac = self.mac.clone();
        mac.update(signing_input.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signing_input}.{signature}")
    }
}

/// Strict base64url: no padding, no whitespace, no non-zero trailing bits.
fn decode(segment: &str) -> Result<Vec<u8>, TokenError> {
    URL_SAFE_NO_PAD.decode(segment).map_err(|_| TokenError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
    const HS256: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

    fn keys() -> JwtKeys {
        JwtKeys::new(SECRET, "palisade", "palisade-api").unwrap()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
    }

    fn issue(keys: &JwtKeys) -> (String, AccessClaims) {
        let (user, tenant, session) = (UserId::generate(), TenantId::generate(), Uuid::now_v7());
        keys.issue(user, tenant, "admin", session, Duration::minutes(15), now())
    }

    /// Signs any header and payload text with `keys`, as a forger holding the key could.
    fn forge(keys: &JwtKeys, header: &str, payload: &str) -> String {
        keys.sign(&URL_SAFE_NO_PAD.encode(header), &URL_SAFE_NO_PAD.encode(payload))
    }

    /// A validly signed token of `keys` whose claims were edited by `edit`.
    fn forge_claims(keys: &JwtKeys, edit: impl FnOnce(&mut AccessClaims)) -> String {
        let mut claims = issue(keys).1;
        edit(&mut claims);
        forge(keys, HS256, &claims.to_json())
    }

    #[test]
    fn an_issued_token_verifies_to_the_claims_it_was_issued_with() {
        let keys = keys();
        let (token, claims) = issue(&keys);
        assert!(token.starts_with(&format!("{}.", URL_SAFE_NO_PAD.encode(HS256))));
        assert_eq!(keys.verify(&token, now()), Ok(claims.clone()));
        assert_eq!((claims.typ.as_str(), claims.role.as_str()), ("access", "admin"));
        assert_eq!(claims.act, None);
        assert_eq!(claims.exp - claims.iat, 15 * 60);
        assert_ne!(issue(&keys).1.jti, claims.jti);
    }

    #[test]
    fn a_token_is_refused_from_its_expiry_second_on() {
        let keys = keys();
        let (token, claims) = issue(&keys);
        let at = |secs| Utc.timestamp_opt(secs, 0).unwrap();
        assert!(keys.verify(&token, at(claims.exp - 1)).is_ok());
        for secs in [claims.exp, claims.exp + 1, claims.exp + 86_400] {
            assert_eq!(keys.verify(&token, at(secs)), Err(TokenError::Expired));
        }
    }

    #[test]
    fn a_tampered_payload_or_signature_is_refused_as_a_bad_signature() {
        let keys = keys();
        let (token, _) = issue(&keys);
        let (other, _) = issue(&keys);
        let [h, p, sig]: [&str; 3] = token.split('.').collect::<Vec<_>>().try_into().unwrap();
        let [_, other_p, other_sig]: [&str; 3] =
            other.split('.').collect::<Vec<_>>().try_into().unwrap();
        for bad in
            [format!("{h}.{other_p}.{sig}"), format!("{h}.{p}.{other_sig}"), format!("{h}.{p}.")]
        {
            assert_eq!(keys.verify(&bad, now()), Err(TokenError::BadSignature), "{bad}");
        }
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let other = JwtKeys::new(&[9u8; 32], "palisade", "palisade-api").unwrap();
        let (token, _) = issue(&other);
        assert_eq!(keys().verify(&token, now()), Err(TokenError::BadSignature));
    }

    #[test]
    fn a_token_for_another_issuer_or_audience_is_refused() {
        let cases = [
            ("other", "palisade-api", TokenError::WrongIssuer),
            ("palisade", "other-api", TokenError::WrongAudience),
        ];
        for (issuer, audience, expected) in cases {
            let (token, _) = issue(&JwtKeys::new(SECRET, issuer, audience).unwrap());
            assert_eq!(keys().verify(&token, now()), Err(expected));
        }
    }

    #[test]
    fn a_validly_signed_refresh_typed_token_is_refused_as_the_wrong_type() {
        let token = forge_claims(&keys(), |c| c.typ = "refresh".into());
        assert_eq!(keys().verify(&token, now()), Err(TokenError::WrongType));
    }

    #[test]
    fn an_issue_time_in_the_future_is_tolerated_for_30_seconds_only() {
        let at_skew = |secs| forge_claims(&keys(), |c| c.iat = now().timestamp() + secs);
        assert!(keys().verify(&at_skew(IAT_LEEWAY_SECS), now()).is_ok());
        assert_eq!(keys().verify(&at_skew(IAT_LEEWAY_SECS + 1), now()), Err(TokenError::Malformed));
    }

    #[test]
    fn the_header_is_pinned_to_hs256_and_jwt_even_when_correctly_signed() {
        use TokenError::{Malformed, UnsupportedAlgorithm as Unsupported};
        let keys = keys();
        let payload = issue(&keys).1.to_json();
        let cases = [
            (r#"{"alg":"none","typ":"JWT"}"#, Unsupported),
            (r#"{"alg":"HS512","typ":"JWT"}"#, Unsupported),
            (r#"{"alg":"RS256","typ":"JWT"}"#, Unsupported),
            (r#"{"alg":"hs256","typ":"JWT"}"#, Unsupported),
            (r#"{"alg":null,"typ":"JWT"}"#, Unsupported),
            (r#"{"typ":"JWT"}"#, Unsupported),
            (r#"{"alg":"HS256"}"#, Malformed),
            (r#"{"alg":"HS256","typ":"at+jwt"}"#, Malformed),
            (r#"{"alg":"HS256","typ":"JWT","kid":"1"}"#, Malformed),
            (r#"{"alg":"HS256","alg":"none","typ":"JWT"}"#, Malformed),
        ];
        for (header, expected) in cases {
            let token = forge(&keys, header, &payload);
            assert_eq!(keys.verify(&token, now()), Err(expected), "{header}");
        }
    }

    #[test]
    fn an_unsigned_alg_none_token_is_refused() {
        let none = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(issue(&keys()).1.to_json());
        let token = format!("{none}.{payload}.");
        assert_eq!(keys().verify(&token, now()), Err(TokenError::UnsupportedAlgorithm));
    }

    #[test]
    fn garbage_extra_dots_padding_and_non_canonical_base64_are_malformed() {
        let keys = keys();
        let (token, _) = issue(&keys);
        let last = token.chars().last().unwrap();
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let bumped = alphabet.chars().nth(alphabet.find(last).unwrap() + 1).unwrap();
        let non_canonical = format!("{}{bumped}", &token[..token.len() - 1]);
        let oversized = format!("{token}{}", "A".repeat(MAX_TOKEN_BYTES));
        let cases = [
            String::new(),
            ".".into(),
            "..".into(),
            "a.b".into(),
            "a.b.c".into(),
            format!("{token}."),
            format!("{token}.x"),
            format!("{token}="),
            format!(" {token}"),
            non_canonical,
            oversized,
            forge(&keys, HS256, "{}"),
            forge(&keys, HS256, "not json"),
        ];
        for bad in cases {
            assert_eq!(keys.verify(&bad, now()), Err(TokenError::Malformed), "{bad}");
        }
    }

    #[test]
    fn a_secret_shorter_than_32_bytes_is_refused() {
        assert_eq!(JwtKeys::new(&[1u8; 31], "i", "a").err(), Some(KeyTooShort { len: 31 }));
        assert!(JwtKeys::new(&[1u8; 32], "i", "a").is_ok());
    }

    #[test]
    fn debug_of_the_keys_shows_no_secret() {
        let shown = format!("{:?}", keys());
        assert!(shown.contains("[redacted]") && shown.contains("palisade-api"), "{shown}");
        assert!(!shown.contains("0123456789abcdef"), "{shown}");
    }
}
