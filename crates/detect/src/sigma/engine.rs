//! A loaded set of Sigma rules evaluated against events. Rules are partitioned by logsource
//! (category, product, service), one rsigma engine per partition, so an event only meets the
//! rules its logsource admits (a `process_creation` rule never sees an `image_load` event, a
//! linux rule never sees a windows event) and each engine's candidate index covers fewer rules.
//! The partition decides admission once per event, so rsigma's per-rule logsource pruning is not
//! asked for. A dimension unknown on either side admits (an event that names no category may
//! still be a process creation). A match carries the rule's level and ATT&CK tags; a match that
//! one of the rule's exceptions covers is dropped. It holds no per-event state and may be shared
//! across threads.

use crate::catalog::TechniqueId;
use crate::model::Severity;
use crate::sigma::event::SigmaEvent;
use crate::sigma::logsource::EventLogsource;
use crate::sigma::rule::SigmaRule;
use rsigma_eval::Engine;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Partitions at least this large get rsigma's cross-rule Aho-Corasick pre-filter. Measured
/// with examples/sigma_bench: it costs more than it saves on a partition of 40-odd rules
/// (450k against 335k events/s), and saves three times over on one of 100.
const CROSS_RULE_AC_MIN_RULES: usize = 64;

/// The custom attribute that carries a rule's position in the set through rsigma's results.
const INDEX_ATTRIBUTE: &str = "palisade.rule_index";

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SigmaMatch {
    /// Position of the rule in the set, as [`RuleSet::rules`] lists them.
    pub rule_index: usize,
    pub rule_id: Option<String>,
    pub title: String,
    pub level: Severity,
    pub techniques: Vec<TechniqueId>,
    pub tactics: Vec<String>,
    pub matched_selections: Vec<String>,
}

#[derive(Default)]
pub struct RuleSet {
    rules: Vec<SigmaRule>,
    /// By lowercased category.
    by_category: HashMap<String, Vec<Partition>>,
    /// Rules that name no category.
    uncategorized: Vec<Partition>,
}

/// The rules of one category that share a product and service (lowercased; `None` for rules
/// that name none).
struct Partition {
    product: Option<String>,
    service: Option<String>,
    engine: Engine,
}

impl Partition {
    fn admits(&self, event: &EventLogsource) -> bool {
        let admits = |rule: &Option<String>, event: Option<&str>| match (rule, event) {
            (Some(rule), Some(event)) => rule.eq_ignore_ascii_case(event),
            _ => true,
        };
        admits(&self.product, event.product) && admits(&self.service, event.service)
    }
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSet").field("rules", &self.rules.len()).finish_non_exhaustive()
    }
}

type PartitionKey = (Option<String>, Option<String>, Option<String>);

impl RuleSet {
    /// Loads rules; each engine's indexes are built once for the whole batch.
    pub fn new(rules: Vec<SigmaRule>) -> RuleSet {
        let mut partitions: HashMap<PartitionKey, Vec<rsigma_eval::CompiledRule>> = HashMap::new();
        for (index, rule) in rules.iter().enumerate() {
            let mut compiled = rule.compiled.clone();
            let mut attributes = (*compiled.custom_attributes).clone();
            attributes.insert(INDEX_ATTRIBUTE.into(), Value::from(index));
            compiled.custom_attributes = Arc::new(attributes);
            let logsource = rule.logsource();
            let lowered = |part: &Option<String>| part.as_ref().map(|p| p.to_ascii_lowercase());
            let key = (
                lowered(&logsource.category),
                lowered(&logsource.product),
                lowered(&logsource.service),
            );
            partitions.entry(key).or_default().push(compiled);
        }
        let mut set = RuleSet { rules, ..RuleSet::default() };
        for ((category, product, service), compiled) in partitions {
            let mut engine = Engine::new();
            engine.set_cross_rule_ac(compiled.len() >= CROSS_RULE_AC_MIN_RULES);
            engine.extend_compiled_rules(compiled);
            let partition = Partition { product, service, engine };
            match category {
                Some(category) => set.by_category.entry(category).or_default().push(partition),
                None => set.uncategorized.push(partition),
            }
        }
        set
    }

    pub fn rules(&self) -> &[SigmaRule] {
        &self.rules
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules that match `event` (any layout `SigmaEvent` recognizes).
    pub fn evaluate(&self, event: &Value) -> Vec<SigmaMatch> {
        self.evaluate_event(&SigmaEvent::new(event))
    }

    pub fn evaluate_event(&self, event: &SigmaEvent<'_>) -> Vec<SigmaMatch> {
        let logsource = EventLogsource::of(event);
        let mut matches = Vec::new();
        let mut evaluate = |partitions: &[Partition]| {
            for partition in partitions.iter().filter(|p| p.admits(&logsource)) {
                let results = partition.engine.evaluate(event);
                matches.extend(results.iter().filter_map(|result| self.describe(result, event)));
            }
        };
        evaluate(&self.uncategorized);
        if logsource.categories.is_empty() {
            self.by_category.values().for_each(|p| evaluate(p));
        } else {
            logsource
                .categories
                .iter()
                .filter_map(|c| self.by_category.get(*c))
                .for_each(|p| evaluate(p));
        }
        matches.sort_by_key(|m| m.rule_index);
        matches
    }

    /// The match of `result`, unless one of its rule's exceptions covers the event.
    fn describe(
        &self,
        result: &rsigma_eval::EvaluationResult,
        event: &SigmaEvent<'_>,
    ) -> Option<SigmaMatch> {
        let index = result.header.custom_attributes.get(INDEX_ATTRIBUTE)?.as_u64()? as usize;
        let rule = self.rules.get(index)?;
        if rule.exception_covering(event).is_some() {
            return None;
        }
        let matched_selections =
            result.as_detection().map(|d| d.matched_selections.clone()).unwrap_or_default();
        Some(SigmaMatch {
            rule_index: index,
            rule_id: rule.id().map(String::from),
            title: rule.title().to_string(),
            level: rule.level(),
            techniques: rule.techniques().to_vec(),
            tactics: rule.tactics().to_vec(),
            matched_selections,
        })
    }
}
