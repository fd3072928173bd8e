//! Name resolution for surface, through hickory-resolver pointed at the configured nameservers
//! (the system's when none are configured): TXT records of challenges, PTR records for reverse
//! DNS, and the addresses of a domain before it is checked by the SSRF guard and scanned.
//!
//! Answers are not cached: a proof check must see what DNS says now. Each failure is sorted into
//! "the name has no such record" (a definite answer, which can revoke an authorization) and "no
//! answer could be had" (a timeout or server failure, which never does). It must not decide
//! whether an address may be reached; callers pass what it returns to the SSRF guard.

use crate::settings::SurfaceSettings;
use hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::proto::xfer::Protocol;
use hickory_resolver::{ResolveError, TokioResolver};
use std::net::IpAddr;
use std::sync::Arc;

/// Why a lookup gave no records.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// The name does not exist, or has no record of the type asked for.
    #[error("{0}")]
    NotFound(String),
    /// No answer: timeout, refused, server failure, malformed name.
    #[error("{0}")]
    Failed(String),
}

/// The resolver; cheap to clone.
#[derive(Clone)]
pub struct Dns {
    resolver: Arc<TokioResolver>,
}

impl std::fmt::Debug for Dns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Dns")
    }
}

impl Dns {
    /// A resolver asking `settings.nameservers` (UDP, then TCP for truncated answers), or the
    /// system's nameservers when the list is empty.
    pub fn new(settings: &SurfaceSettings) -> Dns {
        let mut options = ResolverOpts::default();
        options.timeout = settings.dns_timeout;
        options.attempts = 2;
        options.cache_size = 0;
        options.edns0 = true;
        let provider = TokioConnectionProvider::default();
        let builder = if settings.nameservers.is_empty() {
            match TokioResolver::builder(provider.clone()) {
                Ok(builder) => builder,
                Err(error) => {
                    tracing::warn!(%error, "no system DNS configuration; set surface.dns.nameservers");
                    TokioResolver::builder_with_config(ResolverConfig::new(), provider)
                }
            }
        } else {
            let mut config = ResolverConfig::new();
            for server in &settings.nameservers {
                config.add_name_server(NameServerConfig::new(*server, Protocol::Udp));
                config.add_name_server(NameServerConfig::new(*server, Protocol::Tcp));
            }
            TokioResolver::builder_with_config(config, provider)
        };
        let resolver = builder.with_options(options).build();
        Dns { resolver: Arc::new(resolver) }
    }

    /// The texts of the TXT records at `name` (the strings of one record joined, as RFC 7208
    /// reads them).
    pub async fn txt(&self, name: &str) -> Result<Vec<String>, LookupError> {
        let fqdn = absolute(name);
        let found = self.resolver.txt_lookup(fqdn.as_str()).await.map_err(|e| sort(name, e))?;
        Ok(found
            .iter()
            .map(|txt| {
                txt.txt_data().iter().map(|part| String::from_utf8_lossy(part)).collect::<String>()
            })
            .collect())
    }

    /// The names of the PTR records of `ip`: lowercase, without the root dot.
    pub async fn ptr(&self, ip: IpAddr) -> Result<Vec<String>, LookupError> {
        let found = self.resolver.reverse_lookup(ip).await.map_err(|e| sort(&ip.to_string(), e))?;
        Ok(found.iter().map(|name| relative(&name.to_ascii())).collect())
    }

    /// The IPv4 and IPv6 addresses of `name`, each once.
    pub async fn addresses(&self, name: &str) -> Result<Vec<IpAddr>, LookupError> {
        let fqdn = absolute(name);
        let found = self.resolver.lookup_ip(fqdn.as_str()).await.map_err(|e| sort(name, e))?;
        let mut addresses: Vec<IpAddr> = Vec::new();
        for ip in found.iter() {
            let ip = ip.to_canonical();
            if !addresses.contains(&ip) {
                addresses.push(ip);
            }
        }
        if addresses.is_empty() {
            return Err(LookupError::NotFound(format!("`{name}` has no A or AAAA record")));
        }
        Ok(addresses)
    }
}

/// `name.` so that no search domain of the system configuration is appended.
fn absolute(name: &str) -> String {
    if name.ends_with('.') { name.to_string() } else { format!("{name}.") }
}

fn relative(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

fn sort(name: &str, error: ResolveError) -> LookupError {
    if error.is_nx_domain() {
        LookupError::NotFound(format!("`{name}` does not exist in DNS (NXDOMAIN)"))
    } else if error.is_no_records_found() {
        LookupError::NotFound(format!("`{name}` has no record of that type"))
    } else {
        tracing::info!(%name, %error, "DNS lookup failed");
        LookupError::Failed(format!("no DNS answer for `{name}` (timeout or server failure)"))
    }
}
