//! The client's address: the TCP peer, or, when the peer is one of `http.trusted_proxies`, the
//! address the proxies recorded (`Forwarded: for=`, else `X-Forwarded-For`), read from the right
//! and skipping every trusted hop, so that a client cannot choose its address by sending the
//! header itself. Rate limits, the login throttle and audit rows all use it ([`ClientAddr`]).
//!
//! It must not trust a forwarding header from a peer outside the list, nor fail a request: a
//! malformed header leaves the last address it could read.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use platform::outbound::Cidr;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The address a request is attributed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The proxies whose forwarding headers are believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Arc<Vec<Cidr>>);

impl TrustedProxies {
    pub fn new(cidrs: Vec<Cidr>) -> TrustedProxies {
        TrustedProxies(Arc::new(cidrs))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|cidr| cidr.contains(ip))
    }

    /// The client of a request that arrived from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        for hop in forwarded_hops(headers).into_iter().rev() {
            let Some(hop) = hop else { break };
            client = hop.to_canonical();
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

pub async fn layer(
    State(proxies): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if let Some(peer) = peer {
        let client = proxies.client(peer, request.headers());
        request.extensions_mut().insert(ClientAddr(client));
    }
    next.run(request).await
}

/// The hops the proxies recorded, first (the original client) to last; `None` for a hop that is
/// not an address (`unknown`, an obfuscated name, garbage).
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<&str> =
        headers.get_all("forwarded").iter().filter_map(|v| v.to_str().ok()).collect();
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|value| value.split(','))
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.trim().split_once('='))
                    .find(|(name, _)| name.eq_ignore_ascii_case("for"))
                    .and_then(|(_, node)| parse_node(node))
            })
            .collect();
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|hop| parse_node(hop.trim()))
        .collect()
}

/// `192.0.2.7`, `"192.0.2.7:4711"`, `"[2001:db8::1]:4711"`, `2001:db8::1` → the address.
fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Ok(ip) = node.parse() {
        return Some(ip);
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']').and_then(|(ip, _)| ip.parse().ok());
    }
    node.rsplit_once(':').and_then(|(ip, port)| port.parse::<u16>().ok().and(ip.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies() -> TrustedProxies {
        TrustedProxies::new(Cidr::parse_list("10.0.0.0/8, 2001:db8:ffff::/48").unwrap())
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name.parse::<axum::http::HeaderName>().unwrap(), value.parse().unwrap());
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_sends() {
        let sent = headers(&[("x-forwarded-for", "198.51.100.1"), ("forwarded", "for=1.2.3.4")]);
        assert_eq!(proxies().client(ip("203.0.113.9"), &sent), ip("203.0.113.9"));
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        // The client forged the first entry; the trusted proxy appended the real one.
        let sent = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.9, 10.1.1.1")]);
        assert_eq!(proxies().client(ip("10.0.0.2"), &sent), ip("203.0.113.9"));
    }

    #[test]
    fn forwarded_wins_over_x_forwarded_for_and_its_forms_parse() {
        let sent = headers(&[
            ("forwarded", r#"for=192.0.2.60;proto=https, for="[2001:db8::7]:4711""#),
            ("x-forwarded-for", "198.51.100.1"),
        ]);
        assert_eq!(proxies().client(ip("10.0.0.2"), &sent), ip("2001:db8::7"));
        let quoted = headers(&[("forwarded", r#"For="192.0.2.60:8080""#)]);
        assert_eq!(proxies().client(ip("10.0.0.2"), &quoted), ip("192.0.2.60"));
    }

    #[test]
    fn a_garbage_or_missing_header_leaves_the_last_address_read() {
        let garbage = headers(&[("x-forwarded-for", "not-an-ip")]);
        assert_eq!(proxies().client(ip("10.0.0.2"), &garbage), ip("10.0.0.2"));
        assert_eq!(proxies().client(ip("10.0.0.2"), &HeaderMap::new()), ip("10.0.0.2"));
        let unknown = headers(&[("forwarded", "for=unknown, for=10.3.3.3")]);
        assert_eq!(proxies().client(ip("10.0.0.2"), &unknown), ip("10.3.3.3"));
    }

    #[test]
    fn no_trusted_proxies_means_the_peer() {
        let sent = headers(&[("x-forwarded-for", "198.51.100.1")]);
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("10.0.0.2"), &sent), ip("10.0.0.2"));
        let mapped = ip("::ffff:10.0.0.2");
        assert_eq!(proxies().client(mapped, &sent), ip("198.51.100.1"), "mapped IPv4 is IPv4");
    }
}
