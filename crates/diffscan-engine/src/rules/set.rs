//! The compiled set of rules a scan runs: every pack's rules under unique ids, and the one
//! Aho-Corasick automaton over all content rules' keywords that decides which regexes run where.
//!
//! Built once per engine and shared by every scan; it must not hold per-scan state.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::{Matcher, Rule, RulePack};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleSetError {
    #[error("rule {id} is defined by both {first} and {second}")]
    DuplicateRule { id: String, first: String, second: String },
    #[error("the keyword prefilter could not be built: {0}")]
    Prefilter(String),
}

/// Rules ready to run, and the keyword prefilter over them.
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<Rule>,
    prefilter: Option<AhoCorasick>,
    /// For each prefilter pattern, the content rules that listed it.
    keyword_rules: Vec<Vec<usize>>,
}

impl RuleSet {
    pub fn new(packs: Vec<RulePack>) -> Result<RuleSet, RuleSetError> {
        let mut rules: Vec<Rule> = Vec::new();
        for rule in packs.into_iter().flat_map(RulePack::into_rules) {
            if let Some(first) = rules.iter().find(|other| other.id == rule.id) {
                return Err(RuleSetError::DuplicateRule {
                    id: rule.id.to_string(),
                    first: first.origin.clone(),
                    second: rule.origin.clone(),
                });
            }
            rules.push(rule);
        }
        let mut keyword_index: HashMap<String, usize> = HashMap::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            let Matcher::Content(content) = &rule.matcher else { continue };
            for keyword in &content.keywords {
                let slot = *keyword_index.entry(keyword.clone()).or_insert_with(|| {
                    keyword_rules.push(Vec::new());
                    keyword_rules.len() - 1
                });
                if !keyword_rules[slot].contains(&index) {
                    keyword_rules[slot].push(index);
                }
            }
        }
        let mut keywords: Vec<(String, usize)> = keyword_index.into_iter().collect();
        keywords.sort_by_key(|(_, slot)| *slot);
        let prefilter = if keywords.is_empty() {
            None
        } else {
            let built = AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(keywords.iter().map(|(keyword, _)| keyword));
            Some(built.map_err(|error| RuleSetError::Prefilter(error.to_string()))?)
        };
        Ok(RuleSet { rules, prefilter, keyword_rules })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.id.as_str() == id)
    }

    /// Calls `on_hit(rule index, byte offset)` for every keyword occurrence in `text`,
    /// overlapping ones included.
    pub(crate) fn keyword_hits(&self, text: &[u8], mut on_hit: impl FnMut(usize, usize)) {
        let Some(prefilter) = &self.prefilter else { return };
        for found in prefilter.find_overlapping_iter(text) {
            for &rule in &self.keyword_rules[found.pattern().as_usize()] {
                on_hit(rule, found.start());
            }
        }
    }
}
