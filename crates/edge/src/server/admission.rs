//! The connection caps: at most `max` open connections in all, and at most `per_client` from one
//! client (an IPv4 address, or an IPv6 /64, the block one subscriber usually holds). A connection
//! over a cap is closed at once, before any TLS or HTTP work. It must not block: admission is a
//! counter check on the accept loop.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex};

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    per_client: HashMap<IpAddr, usize>,
}

/// Admission under the caps; cheap to clone (the counts are shared).
#[derive(Clone, Debug)]
pub struct Admission {
    max: usize,
    per_client: usize,
    counts: Arc<Mutex<Counts>>,
}

/// An admitted connection; dropping it frees its place.
#[derive(Debug)]
pub struct Admitted {
    client: IpAddr,
    counts: Arc<Mutex<Counts>>,
}

impl Admission {
    pub fn new(max: usize, per_client: usize) -> Admission {
        Admission { max, per_client, counts: Arc::default() }
    }

    /// A place for a connection from `ip`, or `None` when a cap is reached.
    pub fn admit(&self, ip: IpAddr) -> Option<Admitted> {
        let client = client_of(ip);
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let held = counts.per_client.get(&client).copied().unwrap_or(0);
        if counts.total >= self.max || held >= self.per_client {
            return None;
        }
        counts.total += 1;
        counts.per_client.insert(client, held + 1);
        Some(Admitted { client, counts: self.counts.clone() })
    }

    /// Open connections now (for metrics and tests).
    pub fn open(&self) -> usize {
        self.counts.lock().unwrap_or_else(|e| e.into_inner()).total
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.total -= 1;
        if let Some(held) = counts.per_client.get_mut(&self.client) {
            *held -= 1;
            if *held == 0 {
                counts.per_client.remove(&self.client);
            }
        }
    }
}

fn client_of(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn one_client_is_held_to_its_cap_and_others_still_get_in() {
        let admission = Admission::new(10, 2);
        let first = admission.admit(ip("192.0.2.1")).unwrap();
        let _second = admission.admit(ip("192.0.2.1")).unwrap();
        assert!(admission.admit(ip("192.0.2.1")).is_none());
        assert!(admission.admit(ip("198.51.100.7")).is_some());
        drop(first);
        assert!(admission.admit(ip("192.0.2.1")).is_some());
    }

    #[test]
    fn the_global_cap_holds_and_places_come_back() {
        let admission = Admission::new(2, 10);
        let held: Vec<_> = (1..=2).map(|n| admission.admit(ip(&format!("192.0.2.{n}")))).collect();
        assert!(admission.admit(ip("192.0.2.9")).is_none());
        drop(held);
        assert_eq!(admission.open(), 0);
        assert!(admission.admit(ip("192.0.2.9")).is_some());
    }

    #[test]
    fn an_ipv6_slash_64_is_one_client() {
        let admission = Admission::new(10, 1);
        let _held = admission.admit(ip("2001:db8:0:1::1")).unwrap();
        assert!(admission.admit(ip("2001:db8:0:1:ffff::2")).is_none());
        let mapped = admission.admit(ip("::ffff:192.0.2.1"));
        assert!(mapped.is_some());
        assert!(admission.admit(ip("192.0.2.1")).is_none(), "mapped IPv4 is IPv4");
    }
}
