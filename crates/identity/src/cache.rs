//! Small time-limited caches on the authentication hot path (revoked tokens, member state, role
//! permissions, API keys), so that an authenticated request needs no query of its own. Entries
//! expire after a short TTL and are dropped at once when this or another process announces a
//! change (see `Identity::listen_for_changes`).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Above this many entries a cache is cleared rather than allowed to grow.
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug)]
pub struct TtlCache<K, V> {
    ttl: Duration,
    entries: Mutex<HashMap<K, (V, Instant)>>,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, entries: Mutex::new(HashMap::new()) }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(key).filter(|(_, at)| at.elapsed() < self.ttl).map(|(value, _)| value.clone())
    }

    pub fn insert(&self, key: K, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, (value, Instant::now()));
    }

    pub fn remove_where(&self, predicate: impl Fn(&K) -> bool) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|key, _| !predicate(key));
    }

    pub fn clear(&self) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_after_their_ttl() {
        let cache = TtlCache::new(Duration::from_millis(20));
        cache.insert("a", 1);
        assert_eq!(cache.get(&"a"), Some(1));
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(cache.get(&"a"), None);
    }

    #[test]
    fn remove_where_drops_matching_entries_only() {
        let cache = TtlCache::new(Duration::from_secs(60));
        cache.insert(("t1", "u1"), 1);
        cache.insert(("t2", "u1"), 2);
        cache.remove_where(|(tenant, _)| *tenant == "t1");
        assert_eq!((cache.get(&("t1", "u1")), cache.get(&("t2", "u1"))), (None, Some(2)));
    }
}
