//! Route handlers, one folder per capability and one file per operation.

pub mod auth;
pub mod system;
