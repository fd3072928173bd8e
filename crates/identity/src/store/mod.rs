//! SQL of the identity capability, in small functions that take a transaction. Tenant-owned
//! tables are only touched inside `tenant_tx`; the global tables (`tenants`, `users`,
//! `revoked_access_tokens`, `server_secrets`) say so in their function docs.

pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod members;
pub mod rbac;
pub mod sessions;
pub mod tenants;
pub mod users;
