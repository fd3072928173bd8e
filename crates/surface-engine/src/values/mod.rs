//! Values the Surface module parses from user input before anything is scanned: asset values,
//! port specs and scan targets. Each is a newtype with private fields made only by its `parse`,
//! so the scanner, the snapshot and the service never see an unchecked value.
//!
//! It must not resolve names or judge reachability; both belong to the service and its SSRF guard.

mod asset;
mod cidr;
mod domain;
mod ports;
mod targets;
mod top_ports;

pub use asset::{AssetError, AssetKind, AssetValue};
pub use cidr::{Cidr, CidrError, MAX_BLOCK_ADDRESSES};
pub use domain::{DomainError, DomainName};
pub use ports::{PortProfile, PortSpec, PortSpecError};
pub use targets::{MAX_SCAN_ADDRESSES, ScanTarget, Target, TargetError, expand};
