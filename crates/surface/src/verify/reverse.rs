//! Reverse DNS: an address is authorized when one of its PTR names is an authorized domain of
//! the tenant or falls under one (`host.example.com` under `example.com`), and that name
//! resolves back to the address (forward-confirmed, so a PTR record alone, which the address's
//! owner writes, proves nothing about the domain). A CIDR block is authorized when every address
//! it scans is; blocks larger than `reverse_dns_max_addresses` need an attestation instead.

use super::{Outcome, Verifier};
use crate::dns::LookupError;
use std::net::IpAddr;
use surface_engine::values::AssetValue;
use tokio::task::JoinSet;

/// Addresses looked up at once for a block.
const AT_ONCE: usize = 32;

pub(super) async fn check(verifier: &Verifier, value: &AssetValue, domains: &[String]) -> Outcome {
    if domains.is_empty() {
        return Outcome::NotProven(
            "the tenant has no authorized domain for reverse DNS to fall under; authorize one first"
                .into(),
        );
    }
    match value {
        AssetValue::Ip(ip) => one(verifier.clone(), *ip, domains.to_vec()).await,
        AssetValue::Cidr(cidr) => {
            let max = verifier.settings().reverse_dns_max_addresses;
            if cidr.size() > max {
                return Outcome::NotProven(format!(
                    "{cidr} holds more than {max} addresses; reverse DNS authorizes blocks up to \
                     that size, larger ones by an administrator's attestation"
                ));
            }
            every(verifier, cidr.hosts().collect(), domains).await
        }
        AssetValue::Domain(_) => {
            Outcome::NotProven("reverse DNS proves addresses and blocks, not domains".into())
        }
    }
}

/// Every address must pass; the first definite failure is the answer.
async fn every(verifier: &Verifier, addresses: Vec<IpAddr>, domains: &[String]) -> Outcome {
    let mut unreachable = None;
    for chunk in addresses.chunks(AT_ONCE) {
        let mut lookups = JoinSet::new();
        for ip in chunk {
            lookups.spawn(one(verifier.clone(), *ip, domains.to_vec()));
        }
        while let Some(done) = lookups.join_next().await {
            match done {
                Ok(Outcome::Proven) => {}
                Ok(Outcome::NotProven(reason)) => return Outcome::NotProven(reason),
                Ok(Outcome::Unreachable(reason)) => unreachable = unreachable.or(Some(reason)),
                Err(_) => unreachable = Some("a lookup task failed".into()),
            }
        }
    }
    match unreachable {
        Some(reason) => Outcome::Unreachable(reason),
        None => Outcome::Proven,
    }
}

async fn one(verifier: Verifier, ip: IpAddr, domains: Vec<String>) -> Outcome {
    let names = match verifier.dns().ptr(ip).await {
        Ok(names) => names,
        Err(LookupError::NotFound(_)) => {
            return Outcome::NotProven(format!("{ip} has no PTR record"));
        }
        Err(LookupError::Failed(reason)) => return Outcome::Unreachable(reason),
    };
    let under: Vec<&String> = names.iter().filter(|name| falls_under(name, &domains)).collect();
    if under.is_empty() {
        return Outcome::NotProven(format!(
            "the PTR record of {ip} ({}) is not under an authorized domain of the tenant",
            names.join(", ")
        ));
    }
    for name in &under {
        match verifier.dns().addresses(name).await {
            Ok(addresses) if addresses.contains(&ip) => return Outcome::Proven,
            Ok(_) | Err(LookupError::NotFound(_)) => {}
            Err(LookupError::Failed(reason)) => return Outcome::Unreachable(reason),
        }
    }
    Outcome::NotProven(format!(
        "the PTR name of {ip} ({}) does not resolve back to {ip}",
        under.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
    ))
}

/// Whether `name` is one of `domains` or a name under one.
fn falls_under(name: &str, domains: &[String]) -> bool {
    domains.iter().any(|domain| {
        name == domain || name.strip_suffix(domain.as_str()).is_some_and(|head| head.ends_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::falls_under;

    #[test]
    fn a_name_falls_under_a_domain_only_at_a_label_boundary() {
        let domains = vec!["example.com".to_string()];
        assert!(falls_under("example.com", &domains));
        assert!(falls_under("web-1.dc.example.com", &domains));
        assert!(!falls_under("badexample.com", &domains));
        assert!(!falls_under("example.com.evil.test", &domains));
    }
}
