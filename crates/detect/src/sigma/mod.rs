//! Sigma detection. Rules are parsed and evaluated by rsigma (`rsigma-parser`, `rsigma-eval`
//! 0.23, which follow the Sigma specification: case-insensitive matching, `*`/`?` wildcards,
//! every value modifier including `windash`, `fieldref`, `cidr` and `base64offset`, `null`, and
//! the full condition grammar). This module adds what Palisade needs around it:
//!
//! * [`SigmaRule`]: a rule refused with the parser's message and line ([`RuleError`]).
//! * [`SigmaEvent`]: events in any of Palisade's layouts, read by Sigma field name (`fieldmap`).
//! * [`EventLogsource`]: an event's logsource, so rules only meet the events they are for.
//! * [`RuleSet`]: evaluation, a [`SigmaMatch`] per matching rule with its level and ATT&CK tags.
//! * [`detection_alert`]: the alert a match raises, with the rule's level and ATT&CK tags.
//! * [`SigmaException`]: known-good activity a rule must not alert on, written as a selection.
//! * [`testing`]: per-selection verdicts for `palisade sigma test`.
//!
//! Where rsigma departs from the specification, it is corrected here before compiling: its
//! `base64offset` keeps the last, data-dependent base64 character of the shifted encodings, so
//! it misses most real matches; `base64offset` is rewritten into the specification's three
//! encodings (see `base64offset`).

mod base64offset;
pub mod detection;
pub mod engine;
pub mod event;
pub mod exception;
pub mod fieldmap;
pub mod logsource;
pub mod rule;
pub mod testing;

pub use detection::detection_alert;
pub use engine::{RuleSet, SigmaMatch};
pub use event::{Layout, SigmaEvent};
pub use exception::SigmaException;
pub use logsource::EventLogsource;
pub use rule::{RuleError, SigmaRule};
pub use testing::EventVerdict;
