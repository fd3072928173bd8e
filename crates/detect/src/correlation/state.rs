//! The incremental grouping itself: the state the service keeps between alerts, and the
//! decision for each alert observed. A group stays open while alerts keep arriving within the
//! window of its span; an alert that links two open groups merges them. The threshold decision is
//! given once per group, so the service raises one incident candidate per group.

use crate::correlation::{AlertFacts, CorrelationConfig, LinkKey};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: u64,
    pub members: Vec<String>,
    /// Every indicator of every member: the ways a new alert can join.
    pub keys: BTreeSet<LinkKey>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// Whether this group has already been reported as an incident candidate.
    pub candidate_raised: bool,
}

impl Group {
    fn is_open_at(&self, time: DateTime<Utc>, config: &CorrelationConfig) -> bool {
        time >= self.first_seen - config.window && time <= self.last_seen + config.window
    }
}

/// The answer for one observed alert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The group the alert is now in (a new group when it linked to none).
    pub group_id: u64,
    pub members: usize,
    /// The indicators the alert shares with the group it joined (empty for a new group).
    pub shared: Vec<LinkKey>,
    /// Groups this alert linked together, now merged into `group_id`.
    pub merged: Vec<u64>,
    /// True exactly once per group: when it reaches the threshold.
    pub incident_candidate: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrelationState {
    groups: Vec<Group>,
    next_id: u64,
}

impl CorrelationState {
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    pub fn group(&self, id: u64) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// Adds one alert and says what became of it.
    pub fn observe(&mut self, config: &CorrelationConfig, facts: AlertFacts) -> Decision {
        if let Some(group) = self.groups.iter().find(|g| g.members.contains(&facts.alert_id)) {
            return Decision {
                group_id: group.id,
                members: group.members.len(),
                shared: Vec::new(),
                merged: Vec::new(),
                incident_candidate: false,
            };
        }
        let keys: BTreeSet<LinkKey> = facts.keys.iter().cloned().collect();
        let linked: Vec<usize> = (0..self.groups.len())
            .filter(|&i| self.groups[i].is_open_at(facts.time, config))
            .filter(|&i| !self.groups[i].keys.is_disjoint(&keys))
            .collect();
        let (index, shared, merged) = match linked.split_first() {
            None => (self.open_group(&facts), Vec::new(), Vec::new()),
            Some((&first, rest)) => {
                let shared = self.groups[first].keys.intersection(&keys).cloned().collect();
                let merged = self.merge_into(first, rest);
                (first, shared, merged)
            }
        };
        let group = &mut self.groups[index];
        if !group.members.contains(&facts.alert_id) {
            group.members.push(facts.alert_id.clone());
        }
        group.keys.extend(keys);
        group.first_seen = group.first_seen.min(facts.time);
        group.last_seen = group.last_seen.max(facts.time);
        let incident_candidate = !group.candidate_raised && group.members.len() >= config.threshold;
        group.candidate_raised |= incident_candidate;
        Decision {
            group_id: group.id,
            members: group.members.len(),
            shared,
            merged,
            incident_candidate,
        }
    }

    /// Drops the groups that no alert at or after `now` could still join; returns their ids.
    pub fn expire(&mut self, config: &CorrelationConfig, now: DateTime<Utc>) -> Vec<u64> {
        let (closed, open): (Vec<Group>, Vec<Group>) =
            self.groups.drain(..).partition(|g| g.last_seen + config.window < now);
        self.groups = open;
        closed.into_iter().map(|g| g.id).collect()
    }

    fn open_group(&mut self, facts: &AlertFacts) -> usize {
        self.next_id += 1;
        self.groups.push(Group {
            id: self.next_id,
            members: Vec::new(),
            keys: BTreeSet::new(),
            first_seen: facts.time,
            last_seen: facts.time,
            candidate_raised: false,
        });
        self.groups.len() - 1
    }

    /// Folds the groups at `others` (all after `into`) into the group at `into`.
    fn merge_into(&mut self, into: usize, others: &[usize]) -> Vec<u64> {
        let mut merged = Vec::new();
        for &other in others.iter().rev() {
            let absorbed = self.groups.remove(other);
            let target = &mut self.groups[into];
            for member in absorbed.members {
                if !target.members.contains(&member) {
                    target.members.push(member);
                }
            }
            target.keys.extend(absorbed.keys);
            target.first_seen = target.first_seen.min(absorbed.first_seen);
            target.last_seen = target.last_seen.max(absorbed.last_seen);
            target.candidate_raised |= absorbed.candidate_raised;
            merged.push(absorbed.id);
        }
        merged.sort_unstable();
        merged
    }
}
