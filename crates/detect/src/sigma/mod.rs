//! Sigma detection. Rules are parsed and evaluated by rsigma (`rsigma-parser`, `rsigma-eval`
//! 0.23, which follow the Sigma specification: case-insensitive matching, `*`/`?` wildcards,
//! every value modifier including `windash`, `fieldref`, `cidr` and `base64offset`, `null`, and
//! the full condition grammar). This module adds what Palisade needs around it:
//!
//! * [`SigmaRule`]: a rule refused with the parser's message and line ([`RuleError`]).
//! * [`SigmaEvent`]: events in any of Palisade's layouts, read by Sigma field name (`fieldmap`).
//! * [`EventLogsource`]: an event's logsource, so rules only meet the events they are for.
//! * [`RuleSet`]: evaluation, a [`SigmaMatch`] per matching rule with its level and ATT&CK tags.
//! * [`testing`]: per-selection verdicts for `palisade sigma test`.
//!
//! Where rsigma departs from the specification, it is corrected here before compiling: its
//! `base64offset` keeps the last, data-dependent base64 character of the shifted encodings, so
//! it misses most real matches; `base64offset` is rewritten into the specification's three
//! encodings (see `base64offset`).

mod base64offset;
pub mod engine;
pub mod event;
pub mod fieldmap;
pub mod logsource;
pub mod rule;
pub mod testing;

pub use engine::{RuleSet, SigmaMatch};
pub use event::{Layout, SigmaEvent};
pub use logsource::EventLogsource;
pub use rule::{RuleError, SigmaRule};
pub use testing::EventVerdict;
