//! What is limited and how fast: the endpoint tiers, a `Rate` (token-bucket shape) with its small
//! text syntax, the per-tier `RateLimits` with production defaults, and the `LimitKey` a request
//! is counted against, with its normalised stored form and the rate that applies to it.
//!
//! Pure values only: this file must not hold buckets, clocks or locks (see `bucket.rs` and
//! `mod.rs`), must not know which route belongs to which tier, and its keys must never carry a
//! secret (only IPs, emails and principal ids).

use std::net::{IpAddr, Ipv6Addr};
use std::str::FromStr;

/// The class of an endpoint, which picks the limits it is held to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tier {
    /// Login and other credential checks: the tightest limits, per IP and per account.
    Auth,
    /// Ordinary API calls.
    General,
    /// Bulk imports and exports.
    Bulk,
    /// Expensive work: starting scans, building reports.
    Expensive,
    /// Operational endpoints (health, readiness, metrics): never limited, so that monitoring
    /// keeps working during a flood.
    Unmetered,
}

impl Tier {
    pub const ALL: [Tier; 5] =
        [Tier::Auth, Tier::General, Tier::Bulk, Tier::Expensive, Tier::Unmetered];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Auth => "auth",
            Tier::General => "general",
            Tier::Bulk => "bulk",
            Tier::Expensive => "expensive",
            Tier::Unmetered => "unmetered",
        }
    }
}

/// A token bucket's shape: it holds at most `burst` tokens, refills at `per_second` tokens a
/// second, and each request takes one token.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    pub per_second: f64,
    pub burst: u32,
}

impl Rate {
    /// A rate that never refuses; the limiter does not even keep a bucket for it.
    pub const UNLIMITED: Rate = Rate { per_second: f64::INFINITY, burst: u32::MAX };

    /// `n` requests per `unit_seconds`, with a burst of `burst`.
    pub fn new(n: u32, unit_seconds: u32, burst: u32) -> Rate {
        Rate { per_second: f64::from(n) / f64::from(unit_seconds.max(1)), burst }
    }

    pub fn is_unlimited(&self) -> bool {
        self.per_second == f64::INFINITY
    }

    /// Parses `N/UNIT` or `N/UNIT:B`, where `N` and `B` are positive integers and `UNIT` is one
    /// of `s`, `min` or `h`. `B` is the burst; without it the burst is `N`, so that a full unit's
    /// worth of requests may arrive at once. Examples: `10/s`, `600/min`, `5/min:2`, `100/h:10`.
    /// Surrounding whitespace is ignored. Anything else (`abc`, `0/s`, `10/day`, `5/min:0`) is
    /// an error describing what was expected.
    pub fn parse(text: &str) -> Result<Rate, String> {
        let expected = || {
            format!(
                "invalid rate {text:?}: expected N/s, N/min or N/h, optionally followed by :BURST"
            )
        };
        let (count, rest) = text.trim().split_once('/').ok_or_else(expected)?;
        let (unit, burst) = match rest.split_once(':') {
            Some((unit, burst)) => (unit, Some(burst)),
            None => (rest, None),
        };
        let unit_seconds = match unit {
            "s" => 1,
            "min" => 60,
            "h" => 3600,
            _ => return Err(expected()),
        };
        let positive = |digits: &str| match digits.parse::<u32>() {
            Ok(n) if n > 0 && digits.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
            _ => Err(format!("invalid rate {text:?}: {digits:?} is not a positive integer")),
        };
        let count = positive(count)?;
        let burst = match burst {
            Some(burst) => positive(burst)?,
            None => count,
        };
        Ok(Rate::new(count, unit_seconds, burst))
    }
}

impl FromStr for Rate {
    type Err = String;

    fn from_str(text: &str) -> Result<Rate, String> {
        Rate::parse(text)
    }
}

/// Every limit the API enforces. Per-IP limits guard against floods from one address before
/// anyone is authenticated; per-principal limits share capacity fairly between users and API
/// keys. Guessing one account's password is identity's login throttle, not a rate here: a rate
/// per account would let anyone lock its owner out.
#[derive(Clone, Debug)]
pub struct RateLimits {
    /// Login attempts (and other credential checks) from one IP.
    pub auth_per_ip: Rate,
    /// Auth-tier calls of one signed-in account (re-entering a password to change it).
    pub auth_per_account: Rate,
    /// Credentials (tokens, API keys) one client address may present that turn out invalid;
    /// past it, its credentials are refused before they are checked.
    pub failed_credentials_per_ip: Rate,
    /// All non-auth requests from one IP, whatever their tier.
    pub general_per_ip: Rate,
    pub general_per_principal: Rate,
    pub bulk_per_principal: Rate,
    pub expensive_per_principal: Rate,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            auth_per_ip: Rate::new(20, 60, 10),
            auth_per_account: Rate::new(10, 60, 5),
            failed_credentials_per_ip: Rate::new(30, 60, 30),
            general_per_ip: Rate::new(200, 1, 400),
            general_per_principal: Rate::new(100, 1, 200),
            bulk_per_principal: Rate::new(1, 1, 5),
            expensive_per_principal: Rate::new(10, 60, 3),
        }
    }
}

impl RateLimits {
    /// The `[rate_limits]` section: each limit as `N/s`, `N/min` or `N/h` with an optional
    /// `:burst`; unset limits keep their defaults.
    pub fn read(src: &mut platform::config::Source<'_>) -> RateLimits {
        let mut limits = RateLimits::default();
        let RateLimits {
            auth_per_ip,
            auth_per_account,
            failed_credentials_per_ip,
            general_per_ip,
            general_per_principal,
            bulk_per_principal,
            expensive_per_principal,
        } = &mut limits;
        let slots = [
            ("auth_per_ip", "PALISADE_RATE_LIMITS_AUTH_PER_IP", auth_per_ip),
            ("auth_per_account", "PALISADE_RATE_LIMITS_AUTH_PER_ACCOUNT", auth_per_account),
            (
                "failed_credentials_per_ip",
                "PALISADE_RATE_LIMITS_FAILED_CREDENTIALS_PER_IP",
                failed_credentials_per_ip,
            ),
            ("general_per_ip", "PALISADE_RATE_LIMITS_GENERAL_PER_IP", general_per_ip),
            (
                "general_per_principal",
                "PALISADE_RATE_LIMITS_GENERAL_PER_PRINCIPAL",
                general_per_principal,
            ),
            ("bulk_per_principal", "PALISADE_RATE_LIMITS_BULK_PER_PRINCIPAL", bulk_per_principal),
            (
                "expensive_per_principal",
                "PALISADE_RATE_LIMITS_EXPENSIVE_PER_PRINCIPAL",
                expensive_per_principal,
            ),
        ];
        for (name, env, slot) in slots {
            *slot = src.parsed(&format!("rate_limits.{name}"), &[env], *slot, |text| {
                Rate::parse(text).map_err(|e| format!("is not a rate: {e}"))
            });
        }
        limits
    }

    /// Limits that never refuse, for benchmarks and tests that are not about rate limiting.
    pub fn unlimited() -> Self {
        RateLimits {
            auth_per_ip: Rate::UNLIMITED,
            auth_per_account: Rate::UNLIMITED,
            failed_credentials_per_ip: Rate::UNLIMITED,
            general_per_ip: Rate::UNLIMITED,
            general_per_principal: Rate::UNLIMITED,
            bulk_per_principal: Rate::UNLIMITED,
            expensive_per_principal: Rate::UNLIMITED,
        }
    }

    /// The per-principal limit of a tier. Auth-tier calls by a signed-in principal (re-entering
    /// a password, confirming MFA) are held to the per-account login limit.
    pub fn per_principal(&self, tier: Tier) -> Rate {
        match tier {
            Tier::Auth => self.auth_per_account,
            Tier::General => self.general_per_principal,
            Tier::Bulk => self.bulk_per_principal,
            Tier::Expensive => self.expensive_per_principal,
            Tier::Unmetered => Rate::UNLIMITED,
        }
    }

    /// The per-IP limit of a tier: auth has its own; every other metered tier shares
    /// `general_per_ip`.
    pub fn per_ip(&self, tier: Tier) -> Rate {
        match tier {
            Tier::Auth => self.auth_per_ip,
            Tier::General | Tier::Bulk | Tier::Expensive => self.general_per_ip,
            Tier::Unmetered => Rate::UNLIMITED,
        }
    }
}

/// What a request is counted against. Callers usually check several keys per request (say the
/// IP, then the principal) and refuse on the first `RetryAfter`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitKey<'a> {
    /// A login attempt (or other credential check) from this IP: `auth_per_ip`.
    AuthIp(IpAddr),
    /// A credential from this IP that turned out invalid: `failed_credentials_per_ip`.
    FailedCredentials(IpAddr),
    /// Any request from this IP. `Ip(Tier::Auth, ip)` is the same bucket as `AuthIp(ip)`; all
    /// other tiers share one `general_per_ip` bucket per IP, since the per-IP limit is a flood
    /// guard rather than a per-tier budget.
    Ip(Tier, IpAddr),
    /// A request by this principal (a user or API-key id, never a secret), limited per tier by
    /// `RateLimits::per_principal`; each tier has its own bucket.
    Principal(Tier, &'a str),
}

/// The owned form of a `LimitKey`, as stored in a shard. IPs are normalised: IPv4-mapped IPv6
/// is plain IPv4, and IPv6 is cut to its /64, the block one subscriber usually holds, so that
/// rotating addresses inside it does not escape the limit.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Key {
    AuthIp(IpAddr),
    FailedCredentials(IpAddr),
    GeneralIp(IpAddr),
    Principal(Tier, Box<str>),
}

impl Key {
    pub(super) fn new(key: LimitKey<'_>) -> Key {
        match key {
            LimitKey::AuthIp(ip) | LimitKey::Ip(Tier::Auth, ip) => Key::AuthIp(normalise(ip)),
            LimitKey::FailedCredentials(ip) => Key::FailedCredentials(normalise(ip)),
            LimitKey::Ip(Tier::General | Tier::Bulk | Tier::Expensive | Tier::Unmetered, ip) => {
                Key::GeneralIp(normalise(ip))
            }
            LimitKey::Principal(tier, id) => Key::Principal(tier, id.into()),
        }
    }
}

fn normalise(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !(u128::from(u64::MAX)))),
        v4 => v4,
    }
}

impl RateLimits {
    /// The rate a stored key's bucket is shaped by.
    pub(super) fn rate_of(&self, key: &Key) -> Rate {
        match key {
            Key::AuthIp(_) => self.auth_per_ip,
            Key::FailedCredentials(_) => self.failed_credentials_per_ip,
            Key::GeneralIp(_) => self.general_per_ip,
            Key::Principal(tier, _) => self.per_principal(*tier),
        }
    }

    /// The rate `key` is held to (the same as `rate_of(&Key::new(key))`, without allocating).
    pub(super) fn rate_for(&self, key: LimitKey<'_>) -> Rate {
        match key {
            LimitKey::AuthIp(_) => self.auth_per_ip,
            LimitKey::FailedCredentials(_) => self.failed_credentials_per_ip,
            LimitKey::Ip(tier, _) => self.per_ip(tier),
            LimitKey::Principal(tier, _) => self.per_principal(tier),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_per_second_per_minute_and_an_explicit_burst() {
        assert_eq!(Rate::parse("10/s"), Ok(Rate { per_second: 10.0, burst: 10 }));
        assert_eq!(Rate::parse("600/min"), Ok(Rate { per_second: 10.0, burst: 600 }));
        assert_eq!(Rate::parse("5/min:2"), Ok(Rate { per_second: 5.0 / 60.0, burst: 2 }));
        assert_eq!(Rate::parse(" 36/h:4 "), Ok(Rate { per_second: 0.01, burst: 4 }));
        assert_eq!("10/s".parse::<Rate>(), Rate::parse("10/s"));
    }

    #[test]
    fn parse_rejects_garbage_zero_rates_and_unknown_units() {
        for bad in
            ["abc", "0/s", "10/day", "", "10", "/s", "-1/s", "+5/s", "5/min:0", "5/min:", "1.5/s"]
        {
            assert!(Rate::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn tier_names_are_stable_lowercase_words() {
        let names: Vec<_> = Tier::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(names, ["auth", "general", "bulk", "expensive", "unmetered"]);
    }

    #[test]
    fn the_defaults_limit_every_tier_and_unlimited_limits_none() {
        let defaults = RateLimits::default();
        let unlimited = RateLimits::unlimited();
        for tier in Tier::ALL {
            let metered = tier != Tier::Unmetered;
            assert_eq!(!defaults.per_ip(tier).is_unlimited(), metered, "{tier:?}");
            assert_eq!(!defaults.per_principal(tier).is_unlimited(), metered, "{tier:?}");
            assert!(unlimited.per_ip(tier).is_unlimited());
            assert!(unlimited.per_principal(tier).is_unlimited());
        }
        assert!(!defaults.auth_per_account.is_unlimited());
    }

    #[test]
    fn ipv6_addresses_in_one_slash_64_share_a_key_and_mapped_ipv4_is_ipv4() {
        let v6 = |segments: [u16; 8]| IpAddr::V6(Ipv6Addr::from(segments));
        let host = Key::new(LimitKey::AuthIp(v6([0x2001, 0xdb8, 0, 1, 7, 7, 7, 7])));
        let same_block = Key::new(LimitKey::AuthIp(v6([0x2001, 0xdb8, 0, 1, 0xffff, 0, 0, 1])));
        let next_block = Key::new(LimitKey::AuthIp(v6([0x2001, 0xdb8, 0, 2, 7, 7, 7, 7])));
        assert_eq!(host, same_block);
        assert_ne!(host, next_block);

        let v4 = std::net::Ipv4Addr::new(192, 0, 2, 7);
        let mapped = Key::new(LimitKey::Ip(Tier::Bulk, IpAddr::V6(v4.to_ipv6_mapped())));
        assert_eq!(mapped, Key::new(LimitKey::Ip(Tier::General, IpAddr::V4(v4))));
    }
}
