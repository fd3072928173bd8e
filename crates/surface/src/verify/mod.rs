//! Proof of authorization to scan: the challenge token, and the checks that an asset's owner
//! published it (a DNS TXT record, an HTTP(S) well-known file), that an address's reverse DNS
//! falls under a domain the tenant proved (forward-confirmed), or nothing to check for an
//! administrator's attestation.
//!
//! A check answers [`Outcome::Proven`], [`Outcome::NotProven`] (a definite answer: the record or
//! file is missing or wrong) or [`Outcome::Unreachable`] (no answer could be had). A re-check
//! revokes an authorization only on a definite answer; a scan probes only after `Proven`. It
//! must not touch the database: the service reads and records what these checks need and find.

mod http_file;
mod reverse;

use crate::dns::{Dns, LookupError};
use crate::model::AuthMethod;
use crate::settings::SurfaceSettings;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use platform::outbound::OutboundPolicy;
use rand::RngCore;
use std::sync::Arc;
use surface_engine::values::{AssetKind, AssetValue};

/// The label under the domain where the TXT record is published.
pub const TXT_LABEL: &str = "_palisade-challenge";
/// What the TXT record holds before the token.
pub const TXT_PREFIX: &str = "palisade-verify=";
/// Where the file is served; its body is the token.
pub const WELL_KNOWN_PATH: &str = "/.well-known/palisade-verify/";

/// What a check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Proven,
    /// The proof is definitely not there; the reason says what was found instead.
    NotProven(String),
    /// The check could not be made (timeout, server failure, refused connection).
    Unreachable(String),
}

/// A new challenge token: 256 random bits, base64url (43 characters).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The DNS name that carries the TXT record for `domain`.
pub fn txt_name(domain: &str) -> String {
    format!("{TXT_LABEL}.{domain}")
}

/// The methods that can prove an asset of `kind`, in the order `verify` tries them.
pub fn methods_for(kind: AssetKind) -> &'static [AuthMethod] {
    match kind {
        AssetKind::Domain => &[AuthMethod::DnsTxt, AuthMethod::HttpFile],
        AssetKind::Ip => &[AuthMethod::HttpFile, AuthMethod::ReverseDns],
        AssetKind::Cidr => &[AuthMethod::ReverseDns],
    }
}

/// Whether `method` needs the challenge token.
pub fn needs_token(method: AuthMethod) -> bool {
    matches!(method, AuthMethod::DnsTxt | AuthMethod::HttpFile)
}

/// What a check is asked about.
#[derive(Clone, Copy, Debug)]
pub struct Subject<'a> {
    pub value: &'a AssetValue,
    pub token: Option<&'a str>,
    /// The tenant's authorized domains, for reverse DNS.
    pub domains: &'a [String],
}

/// Runs the checks; cheap to clone.
#[derive(Clone, Debug)]
pub struct Verifier {
    dns: Dns,
    policy: OutboundPolicy,
    settings: Arc<SurfaceSettings>,
}

impl Verifier {
    pub fn new(dns: Dns, policy: OutboundPolicy, settings: Arc<SurfaceSettings>) -> Verifier {
        Verifier { dns, policy, settings }
    }

    /// Checks `subject` by `method`, within the verification timeout.
    pub async fn check(&self, method: AuthMethod, subject: Subject<'_>) -> Outcome {
        let timeout = self.settings.verify_timeout;
        match tokio::time::timeout(timeout, self.dispatch(method, subject)).await {
            Ok(outcome) => outcome,
            Err(_) => Outcome::Unreachable(format!(
                "the check did not finish within {} seconds",
                timeout.as_secs()
            )),
        }
    }

    async fn dispatch(&self, method: AuthMethod, subject: Subject<'_>) -> Outcome {
        if !methods_for(subject.value.kind()).contains(&method) && method != AuthMethod::Attestation
        {
            return Outcome::NotProven(format!(
                "{method} cannot prove a {} asset",
                subject.value.kind()
            ));
        }
        let token = subject.token.unwrap_or_default();
        match method {
            AuthMethod::DnsTxt => match subject.value.domain() {
                Some(domain) => self.dns_txt(domain.as_str(), token).await,
                None => Outcome::NotProven("a DNS TXT record proves only a domain".into()),
            },
            AuthMethod::HttpFile => http_file::check(self, subject.value, token).await,
            AuthMethod::ReverseDns => reverse::check(self, subject.value, subject.domains).await,
            // Nothing to check: an administrator vouched for it, and the audit log says who.
            AuthMethod::Attestation => Outcome::Proven,
        }
    }

    async fn dns_txt(&self, domain: &str, token: &str) -> Outcome {
        let name = txt_name(domain);
        let expected = format!("{TXT_PREFIX}{token}");
        match self.dns.txt(&name).await {
            Ok(records) if records.iter().any(|text| text.trim() == expected) => Outcome::Proven,
            Ok(records) => Outcome::NotProven(format!(
                "{} TXT record(s) at {name}, none of them `{TXT_PREFIX}<token>` with this asset's \
                 token",
                records.len()
            )),
            Err(LookupError::NotFound(_)) => Outcome::NotProven(format!("no TXT record at {name}")),
            Err(LookupError::Failed(reason)) => Outcome::Unreachable(reason),
        }
    }

    pub(crate) fn dns(&self) -> &Dns {
        &self.dns
    }

    pub(crate) fn policy(&self) -> &OutboundPolicy {
        &self.policy
    }

    pub(crate) fn settings(&self) -> &SurfaceSettings {
        &self.settings
    }
}

/// The best of several outcomes: proven if any is; else not proven if any definite answer was
/// had; else unreachable. Reasons are joined with the method that gave them.
pub fn best(outcomes: Vec<(AuthMethod, Outcome)>) -> (Option<AuthMethod>, Outcome) {
    if let Some((method, _)) = outcomes.iter().find(|(_, o)| *o == Outcome::Proven) {
        return (Some(*method), Outcome::Proven);
    }
    let reasons = |wanted: fn(&Outcome) -> Option<&String>| -> Vec<String> {
        outcomes
            .iter()
            .filter_map(|(method, outcome)| wanted(outcome).map(|r| format!("{method}: {r}")))
            .collect()
    };
    let definite = reasons(|o| match o {
        Outcome::NotProven(reason) => Some(reason),
        _ => None,
    });
    let unreachable = reasons(|o| match o {
        Outcome::Unreachable(reason) => Some(reason),
        _ => None,
    });
    let all: Vec<String> = definite.iter().chain(unreachable.iter()).cloned().collect();
    match definite.is_empty() {
        false => (None, Outcome::NotProven(all.join("; "))),
        true => (None, Outcome::Unreachable(all.join("; "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_43_characters_of_base64url_and_differ() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 43);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_ne!(a, b);
    }

    #[test]
    fn the_best_outcome_prefers_proof_then_definite_answers() {
        let unreachable = Outcome::Unreachable("timeout".into());
        let missing = Outcome::NotProven("404".into());
        let (method, outcome) = best(vec![
            (AuthMethod::DnsTxt, unreachable.clone()),
            (AuthMethod::HttpFile, Outcome::Proven),
        ]);
        assert_eq!((method, outcome), (Some(AuthMethod::HttpFile), Outcome::Proven));
        let (_, outcome) =
            best(vec![(AuthMethod::DnsTxt, unreachable.clone()), (AuthMethod::HttpFile, missing)]);
        assert_eq!(outcome, Outcome::NotProven("http_file: 404; dns_txt: timeout".into()));
        let (_, outcome) = best(vec![(AuthMethod::DnsTxt, unreachable)]);
        assert_eq!(outcome, Outcome::Unreachable("dns_txt: timeout".into()));
    }
}
