//! HTTP clients kept between attempts, so that deliveries to one receiver reuse its connections
//! (TLS handshakes are most of a webhook's cost at thousands of events per second).
//!
//! A client is kept per host *and the exact addresses the SSRF guard approved for it*: each
//! attempt still resolves and checks the URL first, and a name that now resolves elsewhere gets
//! a new client, so a kept connection never reaches an address that was not checked. It must
//! not follow redirects or use proxies (the clients it builds do neither).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Above this many receivers the cache starts again rather than grows.
const MAX_CLIENTS: usize = 512;
/// A client unused this long is rebuilt (its pool would have closed its connections anyway).
const IDLE: Duration = Duration::from_secs(90);

type Key = (String, Vec<SocketAddr>);

#[derive(Debug, Default)]
pub struct Clients {
    kept: Mutex<HashMap<Key, (reqwest::Client, Instant)>>,
}

impl Clients {
    /// The client for `host` at `addrs`, built by `build` when there is none yet.
    pub fn get_or_build(
        &self,
        host: &str,
        addrs: &[SocketAddr],
        build: impl FnOnce() -> reqwest::Result<reqwest::Client>,
    ) -> reqwest::Result<reqwest::Client> {
        let mut sorted = addrs.to_vec();
        sorted.sort_unstable();
        let key = (host.to_ascii_lowercase(), sorted);
        let now = Instant::now();
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((client, used)) = kept.get_mut(&key)
            && now.duration_since(*used) < IDLE
        {
            *used = now;
            return Ok(client.clone());
        }
        if kept.len() >= MAX_CLIENTS {
            kept.retain(|_, (_, used)| now.duration_since(*used) < IDLE);
            if kept.len() >= MAX_CLIENTS {
                kept.clear();
            }
        }
        let client = build()?;
        kept.insert(key, (client.clone(), now));
        Ok(client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> reqwest::Result<reqwest::Client> {
        reqwest::Client::builder().build()
    }

    #[test]
    fn one_client_per_host_and_checked_addresses() {
        let clients = Clients::default();
        let a: SocketAddr = "192.0.2.1:443".parse().unwrap();
        let b: SocketAddr = "192.0.2.2:443".parse().unwrap();
        let built = std::cell::Cell::new(0);
        let get = |host: &str, addrs: &[SocketAddr]| {
            clients
                .get_or_build(host, addrs, || {
                    built.set(built.get() + 1);
                    client()
                })
                .unwrap();
        };
        get("hooks.example.com", &[a, b]);
        get("HOOKS.example.com", &[b, a]);
        assert_eq!(built.get(), 1, "the same host at the same addresses reuses its client");
        get("hooks.example.com", &[a]);
        assert_eq!(built.get(), 2, "a name that resolves elsewhere gets a client of its own");
    }
}
