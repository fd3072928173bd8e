//! Palisade's typed alert: the normalized finding every adapter produces, its graded values and
//! observables, and the source it came from. Rendering it as OCSF JSON lives in
//! `normalize::ocsf`; parsing source payloads into it lives in `adapters`.

pub mod finding;
pub mod levels;
pub mod observable;
pub mod source;

pub use finding::{Analytic, Attack, Finding, NormalizedAlert, Product, Resource};
pub use levels::{Confidence, FindingStatus, Severity};
pub use observable::{Observable, ObservableKind};
pub use source::SourceKind;
