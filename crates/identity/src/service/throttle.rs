//! The login throttle: failures are slowed down, successes never are, and an attacker cannot
//! drive a limit that refuses someone else's correct password (OWASP's authentication guidance).
//!
//! Failures are counted per (account, client address), per account and per client, in memory,
//! each forgotten after `window` without a new failure:
//!
//! * **Per account and client** — the first `free_failures` are free; after that each attempt of
//!   that pair must wait `2^(failures - free_failures)` seconds since the last failure, at most
//!   `max_delay`. A success clears the pair and marks it trusted for `trust_for`.
//! * **Per account, from every client** — past `account_failures`, a client that has failed for
//!   this account and is not trusted for it waits `slow_delay` between attempts. A client with no
//!   failure for the account (the owner at their desk) is not held back at all.
//! * **Per client, for every account** (password spraying) — past `client_failures`, the client
//!   waits `slow_delay` between attempts for accounts it is not trusted for.
//!
//! A correct password is therefore refused only while *its own* pair is waiting, or the pair is
//! untrusted and the pair itself failed (per account) or its client sprayed. It must not touch
//! the database; the state is per process, like the rate limits.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The numbers of the policy (see the module documentation); `Default` is production's.
#[derive(Clone, Debug)]
pub struct LoginThrottleSettings {
    pub window: Duration,
    pub free_failures: u32,
    pub max_delay: Duration,
    pub account_failures: u32,
    pub client_failures: u32,
    pub slow_delay: Duration,
    pub trust_for: Duration,
}

impl Default for LoginThrottleSettings {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(15 * 60),
            free_failures: 5,
            max_delay: Duration::from_secs(15 * 60),
            account_failures: 20,
            client_failures: 50,
            slow_delay: Duration::from_secs(60),
            trust_for: Duration::from_secs(30 * 24 * 3600),
        }
    }
}

/// Entries each map keeps at most; past that the oldest half is forgotten.
const MAX_ENTRIES: usize = 100_000;

#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    last: Instant,
}

#[derive(Clone, Copy, Debug, Default)]
struct Pair {
    failures: Option<Failures>,
    trusted_until: Option<Instant>,
}

type Client = Option<IpAddr>;

#[derive(Debug, Default)]
struct State {
    pairs: HashMap<(String, Client), Pair>,
    accounts: HashMap<String, Failures>,
    clients: HashMap<Client, Failures>,
}

#[derive(Debug)]
pub struct LoginThrottle {
    settings: LoginThrottleSettings,
    state: Mutex<State>,
}

impl LoginThrottle {
    pub fn new(settings: LoginThrottleSettings) -> Self {
        Self { settings, state: Mutex::new(State::default()) }
    }

    /// Whether an attempt for `account` from `client` may be checked now, or how long to wait.
    pub fn admit(&self, account: &str, client: Client) -> Result<(), Duration> {
        self.admit_at(account, client, Instant::now())
    }

    pub fn admit_at(&self, account: &str, client: Client, now: Instant) -> Result<(), Duration> {
        let s = &self.settings;
        let state = self.lock();
        let recent = |f: Option<Failures>| f.filter(|f| now.duration_since(f.last) < s.window);
        let pair = state.pairs.get(&(account.to_string(), client)).copied().unwrap_or_default();
        let trusted = pair.trusted_until.is_some_and(|until| until > now);
        let pair_failures = recent(pair.failures);
        let wait_since = |last: Instant, delay: Duration| {
            let waited = now.duration_since(last);
            if waited < delay { Err(delay - waited) } else { Ok(()) }
        };
        if let Some(f) = pair_failures
            && f.count >= s.free_failures
        {
            let exponent = (f.count - s.free_failures).min(20);
            let delay = Duration::from_secs(1u64 << exponent).min(s.max_delay);
            wait_since(f.last, delay)?;
        }
        if trusted {
            return Ok(());
        }
        let account_failures = recent(state.accounts.get(account).copied());
        if let (Some(f), Some(a)) = (pair_failures, account_failures)
            && a.count >= s.account_failures
        {
            wait_since(f.last, s.slow_delay)?;
        }
        if let Some(c) = recent(state.clients.get(&client).copied())
            && c.count >= s.client_failures
        {
            wait_since(c.last, s.slow_delay)?;
        }
        Ok(())
    }

    /// Records a wrong password (or unknown account) for `account` from `client`.
    pub fn failed(&self, account: &str, client: Client) {
        self.failed_at(account, client, Instant::now());
    }

    pub fn failed_at(&self, account: &str, client: Client, now: Instant) {
        let window = self.settings.window;
        let bump = |f: &mut Option<Failures>| {
            let count = f.filter(|f| now.duration_since(f.last) < window).map_or(0, |f| f.count);
            *f = Some(Failures { count: count.saturating_add(1), last: now });
        };
        let mut state = self.lock();
        bound(&mut state.pairs);
        let pair = state.pairs.entry((account.to_string(), client)).or_default();
        bump(&mut pair.failures);
        let mut account_entry = state.accounts.get(account).copied();
        bump(&mut account_entry);
        if let Some(entry) = account_entry {
            bound(&mut state.accounts);
            state.accounts.insert(account.to_string(), entry);
        }
        let mut client_entry = state.clients.get(&client).copied();
        bump(&mut client_entry);
        if let Some(entry) = client_entry {
            bound(&mut state.clients);
            state.clients.insert(client, entry);
        }
    }

    /// Records a correct password: the pair's failures are forgotten and it is trusted.
    pub fn succeeded(&self, account: &str, client: Client) {
        let until = Instant::now() + self.settings.trust_for;
        let mut state = self.lock();
        bound(&mut state.pairs);
        state.pairs.insert(
            (account.to_string(), client),
            Pair { failures: None, trusted_until: Some(until) },
        );
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // Every change is one call on plain numbers: a poisoned lock still holds valid state.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Keeps a map under `MAX_ENTRIES` by dropping an arbitrary half when it is full: the throttle
/// then forgets some failures, which only ever lets attempts through sooner.
fn bound<K: Eq + std::hash::Hash, V>(map: &mut HashMap<K, V>) {
    if map.len() >= MAX_ENTRIES {
        let mut keep = false;
        map.retain(|_, _| {
            keep = !keep;
            keep
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: &str = "alice@acme.test";

    fn ip(last: u8) -> Client {
        Some(IpAddr::from([192, 0, 2, last]))
    }

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(LoginThrottleSettings::default())
    }

    #[test]
    fn five_failures_are_free_then_each_attempt_of_the_pair_waits_longer() {
        let (t, now) = (throttle(), Instant::now());
        for _ in 0..5 {
            assert!(t.admit_at(ALICE, ip(1), now).is_ok());
            t.failed_at(ALICE, ip(1), now);
        }
        assert_eq!(t.admit_at(ALICE, ip(1), now), Err(Duration::from_secs(1)));
        assert!(t.admit_at(ALICE, ip(1), now + Duration::from_secs(1)).is_ok());
        t.failed_at(ALICE, ip(1), now + Duration::from_secs(1));
        let later = now + Duration::from_secs(1);
        assert_eq!(t.admit_at(ALICE, ip(1), later), Err(Duration::from_secs(2)));
    }

    #[test]
    fn failures_from_one_address_never_hold_back_another() {
        let (t, now) = (throttle(), Instant::now());
        for _ in 0..100 {
            t.failed_at(ALICE, ip(1), now);
        }
        assert!(t.admit_at(ALICE, ip(1), now).is_err());
        assert!(t.admit_at(ALICE, ip(2), now).is_ok());
    }

    #[test]
    fn a_spraying_client_slows_for_new_accounts_but_not_where_it_is_trusted() {
        let (t, now) = (throttle(), Instant::now());
        t.succeeded("bob@acme.test", ip(9));
        for n in 0..60 {
            t.failed_at(&format!("victim{n}@acme.test"), ip(9), now);
        }
        assert!(t.admit_at("carol@acme.test", ip(9), now).is_err());
        assert!(t.admit_at("bob@acme.test", ip(9), now).is_ok());
        assert!(t.admit_at("carol@acme.test", ip(9), now + Duration::from_secs(60)).is_ok());
    }

    #[test]
    fn a_success_forgets_the_pairs_failures() {
        let (t, now) = (throttle(), Instant::now());
        for _ in 0..8 {
            t.failed_at(ALICE, ip(1), now);
        }
        t.succeeded(ALICE, ip(1));
        assert!(t.admit_at(ALICE, ip(1), now).is_ok());
    }

    #[test]
    fn failures_older_than_the_window_are_forgotten() {
        let (t, now) = (throttle(), Instant::now());
        for _ in 0..8 {
            t.failed_at(ALICE, ip(1), now);
        }
        assert!(t.admit_at(ALICE, ip(1), now + Duration::from_secs(15 * 60)).is_ok());
    }
}
