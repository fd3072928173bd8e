//! Rule testing: given one rule and sample events, which events match, and which of the rule's
//! selections matched each of them. This is what `palisade sigma test RULE.yml EVENTS.ndjson`
//! prints, one JSON line per event. Verdicts come from rsigma's explaining evaluator, which
//! agrees with the engine by construction; the logsource check is the engine's own.

use crate::sigma::event::SigmaEvent;
use crate::sigma::logsource::{self, EventLogsource};
use crate::sigma::rule::{RuleError, SigmaRule};
use rsigma_eval::{ConditionTrace, explain_rule};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The verdict for one sample event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventVerdict {
    /// 1-based line of the event in the NDJSON input (or position in the list).
    pub line: usize,
    pub matched: bool,
    /// Each selection the condition refers to, and whether it matched the event.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub selections: BTreeMap<String, bool>,
    /// Why the rule does not apply to this event at all (its logsource excludes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// The rule matched, but its exception at this position covers the event, so it does not
    /// alert.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excepted_by: Option<usize>,
    /// Why the line could not be read as an event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Tests one event.
pub fn test_event(rule: &SigmaRule, line: usize, event: &Value) -> EventVerdict {
    let view = SigmaEvent::new(event);
    let mut verdict = EventVerdict {
        line,
        matched: false,
        selections: BTreeMap::new(),
        skipped: None,
        excepted_by: None,
        error: None,
    };
    if let Some(reason) = logsource::conflict(rule.logsource(), &EventLogsource::of(&view)) {
        verdict.skipped = Some(reason);
        return verdict;
    }
    let explanation = explain_rule(&rule.compiled, &view);
    for condition in &explanation.conditions {
        collect_selections(condition, &mut verdict.selections);
    }
    verdict.matched = explanation.matched;
    if verdict.matched {
        verdict.excepted_by = rule.exception_covering(&view);
        verdict.matched = verdict.excepted_by.is_none();
    }
    verdict
}

/// Tests every line of an NDJSON document (blank lines are skipped; a line that is not a JSON
/// object gets a verdict with its error).
pub fn test_ndjson(rule: &SigmaRule, events: &str) -> Vec<EventVerdict> {
    events
        .lines()
        .enumerate()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(index, text)| match serde_json::from_str::<Value>(text) {
            Ok(event) if event.is_object() => test_event(rule, index + 1, &event),
            Ok(_) => unreadable(index + 1, "the line is not a JSON object".into()),
            Err(error) => unreadable(index + 1, format!("the line is not JSON: {error}")),
        })
        .collect()
}

/// Parses the rule and tests the events: the whole of `palisade sigma test`, as JSON lines.
pub fn run(rule_yaml: &str, events_ndjson: &str) -> Result<String, RuleError> {
    let rule = SigmaRule::parse(rule_yaml)?;
    let mut out = String::new();
    for verdict in test_ndjson(&rule, events_ndjson) {
        out.push_str(&serde_json::to_string(&verdict).unwrap_or_default());
        out.push('\n');
    }
    Ok(out)
}

fn unreadable(line: usize, error: String) -> EventVerdict {
    EventVerdict {
        line,
        matched: false,
        selections: BTreeMap::new(),
        skipped: None,
        excepted_by: None,
        error: Some(error),
    }
}

fn collect_selections(trace: &ConditionTrace, out: &mut BTreeMap<String, bool>) {
    match trace {
        ConditionTrace::Selection { name, matched, .. } => {
            out.insert(name.clone(), *matched);
        }
        ConditionTrace::And { children, .. } | ConditionTrace::Or { children, .. } => {
            children.iter().for_each(|child| collect_selections(child, out));
        }
        ConditionTrace::Not { child, .. } => collect_selections(child, out),
        ConditionTrace::Quantified { branches, .. } => {
            for branch in branches {
                out.insert(branch.name.clone(), branch.matched);
            }
        }
    }
}
