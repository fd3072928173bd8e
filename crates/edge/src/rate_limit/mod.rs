//! The in-memory rate limiter: maps a `LimitKey` (auth per IP, auth per account, per IP or per
//! principal by tier) to its `Rate` and takes a token from that key's bucket, in one of a fixed
//! number of mutex-guarded shards so that concurrent requests rarely contend.
//!
//! This file owns shard routing and locking. It must not build HTTP responses (the 429
//! problem+json with `Retry-After` belongs to the middleware that calls `check`), must not decide
//! which rate applies to a key (`tiers.rs`) and must not grow memory without bound (each
//! `bucket::Shard` is capped).

mod bucket;
mod tiers;

pub use bucket::RetryAfter;
pub use tiers::{LimitKey, Rate, RateLimits, Tier};

use bucket::Shard;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;
use tiers::Key;

/// The shared limiter. Cloning is cheap and clones share buckets.
#[derive(Clone)]
pub struct RateLimiter {
    inner: Arc<Inner>,
}

struct Inner {
    limits: RateLimits,
    /// Keyed per process, so that clients cannot aim many keys at one shard.
    hasher: RandomState,
    shards: Box<[Mutex<Shard<Key>>]>,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("limits", &self.inner.limits)
            .field("shards", &self.inner.shards.len())
            .finish_non_exhaustive()
    }
}

impl RateLimiter {
    /// How many independently locked shards the buckets are spread over.
    pub const SHARDS: usize = 32;
    /// The most buckets the limiter ever holds (each well under 100 bytes plus its key).
    pub const MAX_BUCKETS: usize = Self::SHARDS * Shard::<Key>::CAPACITY;

    pub fn new(limits: RateLimits) -> Self {
        let shards = (0..Self::SHARDS).map(|_| Mutex::new(Shard::new())).collect();
        RateLimiter { inner: Arc::new(Inner { limits, hasher: RandomState::new(), shards }) }
    }

    pub fn limits(&self) -> &RateLimits {
        &self.inner.limits
    }

    /// Takes one token from `key`'s bucket now, or says how long to wait.
    pub fn check(&self, key: LimitKey<'_>) -> Result<(), RetryAfter> {
        self.check_at(key, Instant::now())
    }

    /// `check` with an injected clock. `now` going backwards is tolerated (it refills nothing).
    pub fn check_at(&self, key: LimitKey<'_>, now: Instant) -> Result<(), RetryAfter> {
        let limits = &self.inner.limits;
        let rate = limits.rate_for(key);
        if rate.is_unlimited() {
            return Ok(());
        }
        let key = Key::new(key);
        let index = (self.inner.hasher.hash_one(&key) % Self::SHARDS as u64) as usize;
        // `index < SHARDS`, the length of `shards`. A panic elsewhere while holding the lock
        // leaves buckets that are still valid numbers, so a poisoned lock is simply taken.
        let mut shard = self.inner.shards[index].lock().unwrap_or_else(PoisonError::into_inner);
        shard.take(key, rate, now, |key| limits.rate_of(key))
    }

    /// Whether `check` would let `key` through now, without taking a token: for a budget that is
    /// spent only on failures (`LimitKey::FailedCredentials`).
    pub fn peek(&self, key: LimitKey<'_>) -> Result<(), RetryAfter> {
        let rate = self.inner.limits.rate_for(key);
        if rate.is_unlimited() {
            return Ok(());
        }
        let key = Key::new(key);
        let index = (self.inner.hasher.hash_one(&key) % Self::SHARDS as u64) as usize;
        let shard = self.inner.shards[index].lock().unwrap_or_else(PoisonError::into_inner);
        shard.peek(&key, rate, Instant::now())
    }

    /// How many buckets are held right now (never more than `MAX_BUCKETS`), e.g. for a gauge.
    pub fn bucket_count(&self) -> usize {
        let lock =
            |shard: &Mutex<Shard<Key>>| shard.lock().unwrap_or_else(PoisonError::into_inner).len();
        self.inner.shards.iter().map(lock).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr};
    use std::time::Duration;

    fn ip(n: u32) -> IpAddr {
        IpAddr::V4(Ipv4Addr::from(n))
    }

    fn general(id: &str) -> LimitKey<'_> {
        LimitKey::Principal(Tier::General, id)
    }

    /// Checks `key` `n` times at `now`, asserting that every one is allowed.
    fn allow(limiter: &RateLimiter, key: LimitKey<'_>, n: u32, now: Instant) {
        for i in 0..n {
            assert_eq!(limiter.check_at(key, now), Ok(()), "check {i} of {key:?}");
        }
    }

    #[test]
    fn a_burst_is_allowed_then_the_next_call_is_refused_with_a_retry_after() {
        let limiter = RateLimiter::new(RateLimits::default());
        let now = Instant::now();
        allow(&limiter, LimitKey::Principal(Tier::Expensive, "user-1"), 3, now);
        let refused = limiter.check_at(LimitKey::Principal(Tier::Expensive, "user-1"), now);
        assert_eq!(refused, Err(RetryAfter { seconds: 6 }));
        allow(&limiter, general("user-1"), 200, now);
        let refused = limiter.check_at(general("user-1"), now).unwrap_err();
        assert!(refused.seconds >= 1);
    }

    #[test]
    fn tokens_refill_over_injected_time() {
        let limiter = RateLimiter::new(RateLimits::default());
        let now = Instant::now();
        let key = LimitKey::AuthIp(ip(1));
        allow(&limiter, key, 10, now);
        let RetryAfter { seconds } = limiter.check_at(key, now).unwrap_err();
        assert_eq!(seconds, 3);
        assert!(limiter.check_at(key, now + Duration::from_secs(2)).is_err());
        allow(&limiter, key, 1, now + Duration::from_secs(3));
        allow(&limiter, key, 10, now + Duration::from_secs(3600));
        assert!(limiter.check_at(key, now + Duration::from_secs(3600)).is_err());
    }

    #[test]
    fn per_ip_keys_are_independent_of_each_other() {
        let limiter = RateLimiter::new(RateLimits::default());
        let now = Instant::now();
        allow(&limiter, LimitKey::Ip(Tier::General, ip(1)), 400, now);
        assert!(limiter.check_at(LimitKey::Ip(Tier::General, ip(1)), now).is_err());
        allow(&limiter, LimitKey::Ip(Tier::General, ip(2)), 400, now);
        allow(&limiter, LimitKey::AuthIp(ip(1)), 10, now);
    }

    #[test]
    fn tiers_are_independent_for_the_same_principal() {
        let limiter = RateLimiter::new(RateLimits::default());
        let now = Instant::now();
        allow(&limiter, LimitKey::Principal(Tier::Bulk, "key-7"), 5, now);
        assert!(limiter.check_at(LimitKey::Principal(Tier::Bulk, "key-7"), now).is_err());
        allow(&limiter, general("key-7"), 200, now);
        allow(&limiter, LimitKey::Principal(Tier::Expensive, "key-7"), 3, now);
        allow(&limiter, LimitKey::Principal(Tier::Bulk, "key-8"), 5, now);
    }

    #[test]
    fn auth_tier_ip_checks_share_the_login_bucket_and_other_tiers_share_the_general_one() {
        let limiter = RateLimiter::new(RateLimits::default());
        let now = Instant::now();
        allow(&limiter, LimitKey::Ip(Tier::Auth, ip(1)), 10, now);
        assert!(limiter.check_at(LimitKey::AuthIp(ip(1)), now).is_err());
        allow(&limiter, LimitKey::Ip(Tier::Bulk, ip(1)), 200, now);
        allow(&limiter, LimitKey::Ip(Tier::Expensive, ip(1)), 200, now);
        assert!(limiter.check_at(LimitKey::Ip(Tier::General, ip(1)), now).is_err());
    }

    #[test]
    fn unlimited_never_refuses_in_100_000_checks_and_keeps_no_buckets() {
        let limiter = RateLimiter::new(RateLimits::unlimited());
        let now = Instant::now();
        for n in 0..100_000u32 {
            assert_eq!(limiter.check_at(LimitKey::AuthIp(ip(n % 5)), now), Ok(()));
            assert_eq!(limiter.check_at(LimitKey::Ip(Tier::General, ip(n % 7)), now), Ok(()));
            let tier = Tier::ALL[(n % 4) as usize];
            assert_eq!(limiter.check(LimitKey::Principal(tier, "p")), Ok(()));
        }
        assert_eq!(limiter.bucket_count(), 0);
    }

    #[test]
    fn memory_stays_bounded_after_1_000_000_distinct_ips() {
        const { assert!(RateLimiter::MAX_BUCKETS <= 300_000) };
        let limiter = RateLimiter::new(RateLimits::default());
        let now = Instant::now();
        for n in 0..1_000_000u32 {
            assert_eq!(limiter.check_at(LimitKey::Ip(Tier::General, ip(n)), now), Ok(()));
        }
        let held = limiter.bucket_count();
        assert!(held <= RateLimiter::MAX_BUCKETS, "{held} buckets held");
    }

    #[test]
    fn idle_buckets_are_forgotten_once_they_have_refilled() {
        let limiter = RateLimiter::new(RateLimits::default());
        let now = Instant::now();
        let many = (RateLimiter::SHARDS * 8192) as u32;
        for n in 0..many {
            allow(&limiter, LimitKey::AuthIp(ip(n)), 1, now);
        }
        let later = now + Duration::from_secs(60);
        for n in 0..many {
            allow(&limiter, LimitKey::AuthIp(ip(many + n)), 1, later);
        }
        assert!(limiter.bucket_count() < many as usize, "{} buckets", limiter.bucket_count());
    }

    #[test]
    fn clones_share_buckets() {
        let limiter = RateLimiter::new(RateLimits::default());
        let clone = limiter.clone();
        let now = Instant::now();
        allow(&limiter, LimitKey::AuthIp(ip(3)), 10, now);
        assert!(clone.check_at(LimitKey::AuthIp(ip(3)), now).is_err());
    }

    #[test]
    fn a_poisoned_shard_keeps_serving_instead_of_panicking() {
        let limiter = RateLimiter::new(RateLimits::default());
        let poisoner = limiter.clone();
        let result = std::thread::spawn(move || {
            let _guards: Vec<_> = poisoner.inner.shards.iter().map(|s| s.lock()).collect();
            panic!("poison every shard");
        })
        .join();
        assert!(result.is_err());
        assert!(limiter.inner.shards.iter().all(|s| s.is_poisoned()));
        let now = Instant::now();
        allow(&limiter, LimitKey::AuthIp(ip(1)), 10, now);
        assert!(limiter.check_at(LimitKey::AuthIp(ip(1)), now).is_err());
        assert_eq!(limiter.bucket_count(), 1);
    }

    #[test]
    fn concurrent_checks_never_hand_out_more_than_the_burst() {
        let limiter = RateLimiter::new(RateLimits::default());
        let now = Instant::now();
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let limiter = limiter.clone();
                std::thread::spawn(move || {
                    (0..100).filter(|_| limiter.check_at(general("shared"), now).is_ok()).count()
                })
            })
            .collect();
        let allowed: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
        assert_eq!(allowed, 200);
    }
}
