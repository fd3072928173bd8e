//! Token-bucket arithmetic and one bounded shard of buckets: refill, take, the `RetryAfter` a
//! refusal carries, and the eviction that keeps a shard's memory under a hard cap.
//!
//! Time is always passed in (`now`), never read here. This file must not know what a key means
//! (tiers, IPs, accounts), must not lock (the caller holds the shard's mutex) and must not panic.

use super::tiers::Rate;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::Hash;
use std::time::Instant;

/// Slack for float rounding, so that a client retrying exactly after `Retry-After` gets in.
const EPSILON: f64 = 1e-9;

/// A refusal: how many whole seconds until the bucket holds a token again (at least 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryAfter {
    pub seconds: u64,
}

/// One bucket's level. Its shape (`Rate`) is not stored: the shard is told it on every call.
#[derive(Clone, Copy, Debug)]
pub(super) struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The bucket's size; a burst of 0 behaves as 1 so that a misconfiguration cannot lock out all.
fn capacity(rate: Rate) -> f64 {
    f64::from(rate.burst.max(1))
}

impl Bucket {
    pub(super) fn full(rate: Rate, now: Instant) -> Bucket {
        Bucket { tokens: capacity(rate), last: now }
    }

    /// The level at `now`, without changing the bucket. A clock that goes backwards adds nothing.
    fn level(&self, rate: Rate, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        if elapsed > 0.0 {
            (self.tokens + elapsed * rate.per_second).min(capacity(rate))
        } else {
            self.tokens
        }
    }

    /// Takes one token, or says how long until one is available.
    pub(super) fn take(&mut self, rate: Rate, now: Instant) -> Result<(), RetryAfter> {
        self.tokens = self.level(rate, now);
        self.last = self.last.max(now);
        if self.tokens >= 1.0 - EPSILON {
            self.tokens = (self.tokens - 1.0).max(0.0);
            return Ok(());
        }
        let wait = (1.0 - self.tokens) / rate.per_second;
        // `as` saturates: an infinite wait (a zero rate) becomes u64::MAX, NaN becomes 0.
        Err(RetryAfter { seconds: ((wait - EPSILON).ceil() as u64).max(1) })
    }

    /// Whether a token could be taken at `now`, taking none.
    pub(super) fn peek(&self, rate: Rate, now: Instant) -> Result<(), RetryAfter> {
        let tokens = self.level(rate, now);
        if tokens >= 1.0 - EPSILON {
            return Ok(());
        }
        let wait = (1.0 - tokens) / rate.per_second;
        Err(RetryAfter { seconds: ((wait - EPSILON).ceil() as u64).max(1) })
    }

    /// How full the bucket is at `now`, from 0 (empty) to 1 (full, hence idle and forgettable).
    pub(super) fn fill(&self, rate: Rate, now: Instant) -> f64 {
        self.level(rate, now) / capacity(rate)
    }
}

/// A map of buckets that never holds more than `CAPACITY` entries. Forgetting a bucket is the
/// same as refilling it, so full buckets are dropped first; when the shard is at its cap with
/// no full bucket, the fullest quarter goes, keeping the depleted buckets that are doing work.
#[derive(Debug)]
pub(super) struct Shard<K> {
    buckets: HashMap<K, Bucket>,
    /// The size at which the next new key triggers a prune; raised after each prune so that
    /// pruning costs O(1) amortized per new key even when nothing is idle.
    next_prune: usize,
}

impl<K: Eq + Hash> Shard<K> {
    pub(super) const CAPACITY: usize = 8192;
    const PRUNE_FLOOR: usize = Self::CAPACITY / 2;
    const PRUNE_SLACK: usize = Self::CAPACITY / 8;

    pub(super) fn new() -> Self {
        Shard { buckets: HashMap::new(), next_prune: Self::PRUNE_FLOOR }
    }

    pub(super) fn len(&self) -> usize {
        self.buckets.len()
    }

    /// Takes a token from `key`'s bucket (shaped by `rate`), creating it full if it is new.
    /// `rate_of` gives any stored key's rate, for judging which buckets may be forgotten.
    pub(super) fn take(
        &mut self,
        key: K,
        rate: Rate,
        now: Instant,
        rate_of: impl Fn(&K) -> Rate,
    ) -> Result<(), RetryAfter> {
        if let Some(bucket) = self.buckets.get_mut(&key) {
            return bucket.take(rate, now);
        }
        self.make_room(now, &rate_of);
        let mut bucket = Bucket::full(rate, now);
        let taken = bucket.take(rate, now);
        self.buckets.insert(key, bucket);
        taken
    }

    /// Whether `key`'s bucket could give a token at `now`, taking none (a missing bucket is full).
    pub(super) fn peek(&self, key: &K, rate: Rate, now: Instant) -> Result<(), RetryAfter> {
        self.buckets.get(key).map_or(Ok(()), |bucket| bucket.peek(rate, now))
    }

    fn make_room(&mut self, now: Instant, rate_of: &impl Fn(&K) -> Rate) {
        if self.buckets.len() < self.next_prune {
            return;
        }
        self.buckets.retain(|key, bucket| bucket.fill(rate_of(key), now) < 1.0 - EPSILON);
        if self.buckets.len() >= Self::CAPACITY {
            self.evict_fullest(Self::CAPACITY / 4, now, rate_of);
        }
        self.next_prune =
            (self.buckets.len() + Self::PRUNE_SLACK).clamp(Self::PRUNE_FLOOR, Self::CAPACITY);
    }

    /// Drops exactly `count` buckets (or all, if fewer), the fullest first.
    fn evict_fullest(&mut self, count: usize, now: Instant, rate_of: &impl Fn(&K) -> Rate) {
        let mut fills: Vec<f64> =
            self.buckets.iter().map(|(key, bucket)| bucket.fill(rate_of(key), now)).collect();
        let count = count.min(fills.len());
        if count == 0 {
            return;
        }
        let keep = fills.len() - count;
        let (_, threshold, _) = fills.select_nth_unstable_by(keep, f64::total_cmp);
        let threshold = *threshold;
        let above = fills.iter().filter(|f| f.total_cmp(&threshold) == Ordering::Greater).count();
        let mut ties_to_drop = count - above;
        self.buckets.retain(|key, bucket| {
            match bucket.fill(rate_of(key), now).total_cmp(&threshold) {
                Ordering::Greater => false,
                Ordering::Equal if ties_to_drop > 0 => {
                    ties_to_drop -= 1;
                    false
                }
                _ => true,
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const ONE_PER_SECOND: Rate = Rate { per_second: 1.0, burst: 1 };

    #[test]
    fn retry_after_is_the_ceiling_of_the_wait_and_at_least_one() {
        let now = Instant::now();
        let rate = Rate { per_second: 0.4, burst: 1 };
        let mut bucket = Bucket::full(rate, now);
        assert_eq!(bucket.take(rate, now), Ok(()));
        assert_eq!(bucket.take(rate, now), Err(RetryAfter { seconds: 3 }));
        let fast = Rate { per_second: 1000.0, burst: 1 };
        let mut bucket = Bucket::full(fast, now);
        assert_eq!(bucket.take(fast, now), Ok(()));
        assert_eq!(bucket.take(fast, now), Err(RetryAfter { seconds: 1 }));
    }

    #[test]
    fn a_client_retrying_exactly_after_retry_after_is_let_in() {
        let now = Instant::now();
        let rate = Rate::new(5, 60, 1);
        let mut bucket = Bucket::full(rate, now);
        assert_eq!(bucket.take(rate, now), Ok(()));
        let RetryAfter { seconds } = bucket.take(rate, now).unwrap_err();
        assert_eq!(seconds, 12);
        assert_eq!(bucket.take(rate, now + Duration::from_secs(seconds)), Ok(()));
    }

    #[test]
    fn a_clock_that_goes_backwards_neither_refills_nor_panics() {
        let now = Instant::now() + Duration::from_secs(10);
        let mut bucket = Bucket::full(ONE_PER_SECOND, now);
        assert_eq!(bucket.take(ONE_PER_SECOND, now), Ok(()));
        let earlier = now - Duration::from_secs(5);
        assert!(bucket.take(ONE_PER_SECOND, earlier).is_err());
        assert!(bucket.take(ONE_PER_SECOND, now).is_err());
        assert_eq!(bucket.take(ONE_PER_SECOND, now + Duration::from_secs(1)), Ok(()));
    }

    #[test]
    fn a_zero_rate_refuses_with_a_huge_retry_after_and_a_zero_burst_acts_as_one() {
        let now = Instant::now();
        let stuck = Rate { per_second: 0.0, burst: 0 };
        let mut bucket = Bucket::full(stuck, now);
        assert_eq!(bucket.take(stuck, now), Ok(()));
        assert_eq!(bucket.take(stuck, now), Err(RetryAfter { seconds: u64::MAX }));
    }

    #[test]
    fn a_shard_at_its_cap_evicts_full_buckets_before_depleted_ones() {
        let now = Instant::now();
        let slow = Rate { per_second: 0.001, burst: 2 };
        let mut shard = Shard::new();
        assert_eq!(shard.take(0u32, slow, now, |_| slow), Ok(()));
        assert_eq!(shard.take(0u32, slow, now, |_| slow), Ok(()));
        for key in 1..=(3 * Shard::<u32>::CAPACITY as u32) {
            assert_eq!(shard.take(key, slow, now, |_| slow), Ok(()));
            assert!(shard.len() <= Shard::<u32>::CAPACITY);
        }
        assert!(shard.take(0u32, slow, now, |_| slow).is_err(), "the depleted bucket was kept");
    }

    #[test]
    fn a_shard_forgets_buckets_that_have_refilled() {
        let now = Instant::now();
        let mut shard = Shard::new();
        let keys = Shard::<u32>::PRUNE_FLOOR as u32;
        for key in 0..keys {
            assert_eq!(shard.take(key, ONE_PER_SECOND, now, |_| ONE_PER_SECOND), Ok(()));
        }
        let later = now + Duration::from_secs(2);
        assert_eq!(shard.take(keys, ONE_PER_SECOND, later, |_| ONE_PER_SECOND), Ok(()));
        assert_eq!(shard.len(), 1);
    }
}
