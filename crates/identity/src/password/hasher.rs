//! Argon2id hashing and verification of passwords, run off the async runtime.
//!
//! It owns the hashing cost, the PHC strings it produces, the dummy hash that makes unknown users
//! as slow as wrong passwords, and the semaphore that bounds how many hashes run at once. It must
//! not decide the password policy (see `policy`), store hashes, or log a password or a hash.

use super::policy::{MAX_BYTES, NewPassword};
use anyhow::Context as _;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{self, PasswordHash, PasswordHasher as _, PasswordVerifier as _};
use argon2::password_hash::{Salt, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use platform::Secret;
use std::fmt;
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

/// Builds Argon2 parameters at compile time; invalid ones fail the build, not a request.
const fn build_params(m_cost: u32, t_cost: u32, p_cost: u32) -> Params {
    match Params::new(m_cost, t_cost, p_cost, None) {
        Ok(params) => params,
        Err(_) => panic!("invalid Argon2 parameters"),
    }
}

/// What the dummy hash is computed from. Nobody can log in with it: it is only ever compared
/// against when there is no real hash to compare against.
const DUMMY_PASSWORD: &str = "palisade-dummy-password-for-unknown-users";

/// How expensive each hash is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashCost {
    /// Argon2id, m=19456 KiB, t=2, p=1 (OWASP Password Storage Cheat Sheet). Use in production.
    Owasp,
    /// Argon2id, m=1024 KiB, t=1, p=1. For tests only: it is far too cheap to resist cracking.
    Fast,
}

impl HashCost {
    fn params(self) -> Params {
        match self {
            Self::Owasp => const { build_params(19 * 1024, 2, 1) },
            Self::Fast => const { build_params(1024, 1, 1) },
        }
    }
}

/// Hashes and verifies passwords on tokio's blocking pool, at most `max_concurrent` at a time.
///
/// Cloning is cheap: clones share the semaphore and the dummy hash.
#[derive(Clone)]
pub struct PasswordHasher {
    inner: Arc<Inner>,
}

struct Inner {
    cost: HashCost,
    max_concurrent: usize,
    permits: Arc<Semaphore>,
    /// PHC string of `DUMMY_PASSWORD` at the current cost, computed on first use.
    dummy_phc: OnceLock<String>,
}

impl fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordHasher")
            .field("cost", &self.inner.cost)
            .field("max_concurrent", &self.inner.max_concurrent)
            .finish_non_exhaustive()
    }
}

impl PasswordHasher {
    /// A hasher at `cost` that runs at most `max_concurrent` hashes at once (0 is treated as 1).
    pub fn new(cost: HashCost, max_concurrent: usize) -> Self {
        let max_concurrent = max_concurrent.max(1);
        Self {
            inner: Arc::new(Inner {
                cost,
                max_concurrent,
                permits: Arc::new(Semaphore::new(max_concurrent)),
                dummy_phc: OnceLock::new(),
            }),
        }
    }

    /// Hashes a password that passed the policy into a PHC string with a fresh random salt.
    pub async fn hash(&self, password: &NewPassword) -> anyhow::Result<String> {
        let password = Secret::new(password.expose().to_owned());
        self.run(move |inner| inner.hash_blocking(password.expose())).await
    }

    /// Whether `password` matches the stored PHC string, using the parameters stored in it.
    ///
    /// With `phc` None (unknown user, or no password set) it compares against a dummy hash and
    /// returns false, so that case takes as long as a wrong password. A malformed PHC string is
    /// logged (without the string) and treated as a mismatch. Errors mean the work could not run.
    pub async fn verify(&self, password: &str, phc: Option<&str>) -> anyhow::Result<bool> {
        let password = Secret::new(password.to_owned());
        let phc = phc.map(str::to_owned);
        self.run(move |inner| inner.verify_blocking(password.expose(), phc.as_deref())).await
    }

    /// Whether a hash that just verified should be replaced by one at the current cost.
    /// Malformed strings and other algorithms, versions or parameters all need a rehash.
    pub fn needs_rehash(&self, phc: &str) -> bool {
        let Ok(hash) = PasswordHash::new(phc) else {
            return true;
        };
        let current = self.inner.cost.params();
        let same = hash.algorithm == Algorithm::Argon2id.ident()
            && hash.version == Some(u32::from(Version::V0x13))
            && hash.hash.map(|output| output.len()) == Some(Params::DEFAULT_OUTPUT_LEN)
            && Params::try_from(&hash).is_ok_and(|stored| {
                (stored.m_cost(), stored.t_cost(), stored.p_cost())
                    == (current.m_cost(), current.t_cost(), current.p_cost())
            });
        !same
    }

    /// Runs `work` on the blocking pool while holding one permit. The permit moves into the
    /// blocking task, so it stays taken until the work finishes even if the caller gives up.
    async fn run<T, F>(&self, work: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Inner) -> anyhow::Result<T> + Send + 'static,
    {
        let permit = Arc::clone(&self.inner.permits)
            .acquire_owned()
            .await
            .context("password hasher semaphore is closed")?;
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work(&inner)
        })
        .await
        .context("password hashing task failed")?
    }
}

impl Inner {
    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.cost.params())
    }

    fn hash_blocking(&self, password: &str) -> anyhow::Result<String> {
        let salt = SaltString::generate(&mut OsRng);
        let hash = self
            .argon2()
            .hash_password(password.as_bytes(), Salt::from(&salt))
            .map_err(|err| anyhow::anyhow!("argon2 hashing failed: {err}"))?;
        Ok(hash.to_string())
    }

    fn verify_blocking(&self, password: &str, phc: Option<&str>) -> anyhow::Result<bool> {
        let stored = match phc.map(PasswordHash::new) {
            None => None,
            Some(Ok(hash)) => Some(hash),
            Some(Err(err)) => {
                tracing::warn!(error = %err, "malformed password hash, treated as a mismatch");
                None
            }
        };
        // No stored password can be longer than the policy allows; don't hash megabytes for it.
        let Some(hash) = stored.filter(|_| password.len() <= MAX_BYTES) else {
            self.burn_dummy(if password.len() > MAX_BYTES { "" } else { password })?;
            return Ok(false);
        };
        match self.argon2().verify_password(password.as_bytes(), &hash) {
            Ok(()) => Ok(true),
            Err(password_hash::Error::Password) => Ok(false),
            Err(err) => {
                tracing::warn!(error = %err, "unverifiable password hash, treated as a mismatch");
                Ok(false)
            }
        }
    }

    /// Does the work of one verification against the dummy hash and throws the answer away.
    fn burn_dummy(&self, password: &str) -> anyhow::Result<()> {
        let dummy = self.dummy_phc()?;
        let hash = PasswordHash::new(dummy)
            .map_err(|err| anyhow::anyhow!("dummy password hash is malformed: {err}"))?;
        let _ = self.argon2().verify_password(password.as_bytes(), &hash);
        Ok(())
    }

    /// The dummy PHC string. The first call computes it; racing first calls may both compute it,
    /// which is harmless. Only that first call costs a hash more than a wrong password does.
    fn dummy_phc(&self) -> anyhow::Result<&str> {
        if let Some(dummy) = self.dummy_phc.get() {
            return Ok(dummy);
        }
        let fresh = self.hash_blocking(DUMMY_PASSWORD)?;
        Ok(self.dummy_phc.get_or_init(|| fresh))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PW: &str = "violet-harbour-teapot-42";

    fn hasher() -> PasswordHasher {
        PasswordHasher::new(HashCost::Fast, 2)
    }

    async fn hash_of_pw(hasher: &PasswordHasher) -> String {
        hasher.hash(&NewPassword::parse(PW, "jdoe@example.com").unwrap()).await.unwrap()
    }

    #[tokio::test]
    async fn a_hashed_password_verifies() {
        let hasher = hasher();
        let phc = hash_of_pw(&hasher).await;
        assert!(phc.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"), "{phc}");
        assert!(hasher.verify(PW, Some(&phc)).await.unwrap());
    }

    #[tokio::test]
    async fn a_wrong_or_oversized_password_does_not_verify() {
        let hasher = hasher();
        let phc = hash_of_pw(&hasher).await;
        assert!(!hasher.verify("violet-harbour-teapot-43", Some(&phc)).await.unwrap());
        let huge = format!("{PW}{}", "x".repeat(MAX_BYTES));
        assert!(!hasher.verify(&huge, Some(&phc)).await.unwrap());
    }

    #[tokio::test]
    async fn verifying_without_a_stored_hash_returns_false() {
        let hasher = hasher();
        assert!(!hasher.verify(PW, None).await.unwrap());
        assert!(!hasher.verify(DUMMY_PASSWORD, None).await.unwrap());
        assert!(hasher.inner.dummy_phc.get().is_some());
    }

    #[tokio::test]
    async fn a_malformed_stored_hash_returns_false() {
        let hasher = hasher();
        for phc in ["", "not-a-phc-string", "$argon2id$v=19$m=1024,t=1,p=1$", "$2b$12$abcdefghij"] {
            assert!(!hasher.verify(PW, Some(phc)).await.unwrap(), "{phc}");
        }
    }

    #[tokio::test]
    async fn two_hashes_of_the_same_password_differ_by_salt() {
        let hasher = hasher();
        let first = hash_of_pw(&hasher).await;
        let second = hash_of_pw(&hasher).await;
        assert_ne!(first, second);
        assert!(hasher.verify(PW, Some(&second)).await.unwrap());
    }

    #[tokio::test]
    async fn verification_uses_the_parameters_stored_in_the_hash() {
        let fast_phc = hash_of_pw(&hasher()).await;
        let owasp = PasswordHasher::new(HashCost::Owasp, 1);
        assert!(owasp.verify(PW, Some(&fast_phc)).await.unwrap());
    }

    #[tokio::test]
    async fn a_hash_at_another_cost_needs_a_rehash() {
        let phc = hash_of_pw(&hasher()).await;
        assert!(!hasher().needs_rehash(&phc));
        assert!(PasswordHasher::new(HashCost::Owasp, 1).needs_rehash(&phc));
        assert!(hasher().needs_rehash("not-a-phc-string"));
    }

    #[tokio::test]
    async fn the_semaphore_bounds_concurrency_and_every_verify_completes() {
        let hasher = PasswordHasher::new(HashCost::Fast, 2);
        let phc = hash_of_pw(&hasher).await;
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let hasher = hasher.clone();
                let phc = phc.clone();
                tokio::spawn(async move {
                    let candidate = if i % 2 == 0 { PW } else { "wrong" };
                    hasher.verify(candidate, Some(&phc)).await.unwrap()
                })
            })
            .collect();
        let mut matches = 0;
        for task in tasks {
            matches += usize::from(task.await.unwrap());
        }
        assert_eq!(matches, 4);
        assert_eq!(hasher.inner.permits.available_permits(), 2);
    }

    #[tokio::test]
    async fn zero_max_concurrent_is_treated_as_one() {
        let hasher = PasswordHasher::new(HashCost::Fast, 0);
        assert_eq!(hasher.inner.permits.available_permits(), 1);
        assert!(!hasher.verify(PW, None).await.unwrap());
    }

    #[test]
    fn debug_output_shows_the_cost_but_no_hash() {
        let debug = format!("{:?}", PasswordHasher::new(HashCost::Owasp, 4));
        assert!(debug.contains("Owasp") && debug.contains('4'), "{debug}");
        assert!(!debug.contains("$argon2"), "{debug}");
    }
}
