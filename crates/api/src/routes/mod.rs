//! Route handlers, one folder per capability and one file per operation.

pub mod api_keys;
pub mod audit_log;
pub mod auth;
pub mod channels;
pub mod deliveries;
pub mod events;
pub mod roles;
pub mod system;
pub mod tenants;
pub mod users;
pub mod ws;
