//! Correlation grouping: alerts that share an indicator — an observable, a host, a user or an
//! ATT&CK technique — within a time window form one correlation group; a group that reaches the
//! threshold is an incident candidate (the service raises `incident.candidate`). The service
//! feeds alerts one at a time: [`CorrelationState::observe`] takes the state and one alert's
//! [`AlertFacts`] and returns a [`Decision`]; the state is plain serde data the service stores
//! between calls. Nothing here reads a clock: times come from the alerts and from the caller.
//! The API is described in `docs/correlation.md`.

mod state;

pub use state::{CorrelationState, Decision, Group};

use crate::model::{Finding, ObservableKind};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// What may link two alerts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// The same host (hostname observables and host resources).
    Host,
    /// The same account.
    User,
    /// The same indicator of another kind (an IP, a domain, a hash …).
    Observable(ObservableKind),
    /// The same ATT&CK technique (sub-techniques count as their own id).
    Technique,
}

/// One shared indicator.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LinkKey {
    pub kind: LinkKind,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorrelationConfig {
    /// How far apart in time two alerts may be and still be linked.
    pub window: TimeDelta,
    /// Group size at which the group becomes an incident candidate.
    pub threshold: usize,
    pub link_by: Vec<LinkKind>,
}

impl Default for CorrelationConfig {
    /// 30 minutes, 3 alerts, linked by host, user, IP, domain, file hash and technique.
    fn default() -> Self {
        CorrelationConfig {
            window: TimeDelta::minutes(30),
            threshold: 3,
            link_by: vec![
                LinkKind::Host,
                LinkKind::User,
                LinkKind::Observable(ObservableKind::Ip),
                LinkKind::Observable(ObservableKind::Domain),
                LinkKind::Observable(ObservableKind::FileHash),
                LinkKind::Technique,
            ],
        }
    }
}

/// What correlation needs to know about one alert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertFacts {
    /// The service's id for the alert (re-observing the same id changes nothing).
    pub alert_id: String,
    pub time: DateTime<Utc>,
    pub keys: Vec<LinkKey>,
}

impl AlertFacts {
    /// The facts of a finding under `config`: its time and the indicators `link_by` admits.
    pub fn of(alert_id: impl Into<String>, finding: &Finding, config: &CorrelationConfig) -> Self {
        let mut keys = Vec::new();
        for kind in &config.link_by {
            let values: Vec<String> = match kind {
                LinkKind::Host => finding
                    .observables_of(ObservableKind::Hostname)
                    .map(|o| o.value().to_string())
                    .chain(
                        finding
                            .resources
                            .iter()
                            .filter(|r| r.kind == "host")
                            .filter_map(|r| r.name.as_ref().map(|n| n.to_ascii_lowercase())),
                    )
                    .collect(),
                LinkKind::User => finding
                    .observables_of(ObservableKind::User)
                    .map(|o| o.value().to_string())
                    .collect(),
                LinkKind::Observable(observable) => {
                    finding.observables_of(*observable).map(|o| o.value().to_string()).collect()
                }
                LinkKind::Technique => {
                    finding.technique_ids().iter().map(ToString::to_string).collect()
                }
            };
            keys.extend(values.into_iter().map(|value| LinkKey { kind: *kind, value }));
        }
        keys.sort();
        keys.dedup();
        AlertFacts { alert_id: alert_id.into(), time: finding.time, keys }
    }
}
