//! SQL of the identity capability, in small functions that take a transaction. Tenant-owned
//! tables are only touched inside `tenant_tx`; the global tables (`tenants`, `users`,
//! `revoked_access_tokens`, `server_secrets`) say so in their function docs.

pub(crate) mod account_tokens;
pub(crate) mod api_keys;
pub(crate) mod audit;
pub(crate) mod auth;
pub(crate) mod invitations;
pub(crate) mod members;
pub(crate) mod rbac;
pub(crate) mod sessions;
pub(crate) mod tenants;
pub(crate) mod users;
