//! Compiled engines, shared by every scan of a process: the built-in pack alone, and the
//! built-in pack with each tenant's enabled packs, keyed by the packs' digests (a changed or
//! disabled pack gives a new key). Compiling is CPU work: callers run it off the async threads.

use crate::model::RulePackRecord;
use diffscan_engine::{Engine, EngineError, RulePack, parse_pack};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Engines kept at most; past this the cache starts over (a compile is milliseconds).
const MAX_ENGINES: usize = 256;

#[derive(Default)]
pub(crate) struct EngineCache {
    builtin: OnceLock<Result<Arc<Engine>, EngineError>>,
    tenants: Mutex<HashMap<String, Arc<Engine>>>,
}

/// The origin a tenant pack's errors and rules name.
pub(crate) fn origin(name: &str) -> String {
    format!("tenant/{name}")
}

impl EngineCache {
    pub(crate) fn builtin(&self) -> Result<Arc<Engine>, EngineError> {
        self.builtin.get_or_init(|| Engine::builtin().map(Arc::new)).clone()
    }

    /// The built-in pack with `packs` (each with its source).
    pub(crate) fn with_packs(&self, packs: &[RulePackRecord]) -> Result<Arc<Engine>, EngineError> {
        if packs.is_empty() {
            return self.builtin();
        }
        let key: String = packs.iter().map(|p| p.digest.as_str()).collect::<Vec<_>>().join(",");
        if let Some(engine) = self.tenants.lock().ok().and_then(|cache| cache.get(&key).cloned()) {
            return Ok(engine);
        }
        let parsed = packs
            .iter()
            .map(|pack| parse_pack(pack.source.as_deref().unwrap_or_default(), &origin(&pack.name)))
            .collect::<Result<Vec<RulePack>, _>>()?;
        let engine = Arc::new(Engine::with_packs(parsed)?);
        if let Ok(mut cache) = self.tenants.lock() {
            if cache.len() >= MAX_ENGINES {
                cache.clear();
            }
            cache.insert(key, engine.clone());
        }
        Ok(engine)
    }
}

impl std::fmt::Debug for EngineCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EngineCache")
    }
}
