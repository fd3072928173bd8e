//! Rule exceptions: known-good activity a detection rule must not alert on (a backup account, a
//! build host). An exception is a Sigma selection — field names, optional value modifiers and
//! values, with Sigma's matching (case-insensitive, `*`/`?` wildcards, `|contains`, `|re` …) and
//! the same field mapping as the rule — so it means exactly what the same lines would mean in the
//! rule's own YAML. Fields are ANDed, a field's values ORed. It is compiled once, like a rule,
//! and only consulted for events the rule matched.

use crate::sigma::event::SigmaEvent;
use crate::sigma::rule::RuleError;
use rsigma_eval::CompiledRule;
use serde_json::{Map, Value};

/// The most fields one exception may name.
pub const MAX_EXCEPTION_FIELDS: usize = 32;

#[derive(Clone, Debug)]
pub struct SigmaException {
    selection: Map<String, Value>,
    compiled: CompiledRule,
}

impl SigmaException {
    /// Compiles an exception from its selection: a JSON object of `field[|modifier…]` to a value
    /// or a list of values (strings, numbers, booleans or null).
    pub fn parse(selection: &Value) -> Result<SigmaException, RuleError> {
        let refuse = |message: String| RuleError { message, line: None, column: None };
        let Some(map) = selection.as_object() else {
            return Err(refuse("an exception is an object of field names to values".into()));
        };
        if map.is_empty() || map.len() > MAX_EXCEPTION_FIELDS {
            return Err(refuse(format!(
                "an exception names 1 to {MAX_EXCEPTION_FIELDS} fields, not {}",
                map.len()
            )));
        }
        for (field, value) in map {
            let scalar = |v: &Value| !(v.is_object() || v.is_array());
            let valid = match value {
                Value::Array(items) => !items.is_empty() && items.iter().all(scalar),
                other => scalar(other),
            };
            if field.trim().is_empty() || !valid {
                return Err(refuse(format!(
                    "exception field `{field}` needs a value or a non-empty list of values"
                )));
            }
        }
        // YAML is a superset of JSON, so the selection goes into the rule as written.
        let body = serde_json::to_string(selection).map_err(|e| refuse(e.to_string()))?;
        let yaml = format!(
            "title: exception\nlogsource:\n    product: any\ndetection:\n    exception: {body}\n    \
             condition: exception\n"
        );
        let collection = rsigma_parser::parse_sigma_yaml(&yaml)
            .map_err(|e| refuse(format!("the exception is not a valid selection: {e}")))?;
        let rule = collection.rules.into_iter().next().ok_or_else(|| {
            let reason = collection.errors.first().cloned().unwrap_or_default();
            refuse(format!("the exception is not a valid selection: {reason}"))
        })?;
        let compiled = rsigma_eval::compile_rule(&rule)
            .map_err(|e| refuse(format!("the exception is not a valid selection: {e}")))?;
        Ok(SigmaException { selection: map.clone(), compiled })
    }

    pub fn selection(&self) -> &Map<String, Value> {
        &self.selection
    }

    /// Whether the event is covered by this exception.
    pub fn covers(&self, event: &SigmaEvent<'_>) -> bool {
        rsigma_eval::evaluate_rule(&self.compiled, event).is_some()
    }
}
