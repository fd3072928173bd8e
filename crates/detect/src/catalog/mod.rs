//! The reference catalogs compiled into the binary: MITRE ATT&CK Enterprise (tactics and
//! techniques) and the parts of the OCSF 1.8.0 schema the normalizer must honour. Both are
//! derived from `shared/data` by `data/derive.py` and embedded with `include_str!`; nothing here
//! reads a file or the network at run time.

pub mod attack;
pub mod ocsf;

pub use attack::{AttackCatalog, Tactic, Technique, TechniqueId, TechniqueIdError};
pub use ocsf::{OcsfCatalog, OcsfEnum, OcsfObject};
