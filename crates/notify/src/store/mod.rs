//! Notify's SQL: small functions on the tenant's `TenantTx`, always filtering on `tenant_id` as
//! well (row-level security is the second wall, not the first); the relay's cross-tenant queue
//! (`queue`, ids only) is the one exception. Nothing here decides; the service does.

pub(crate) mod channels;
pub(crate) mod deliveries;
pub(crate) mod events;
pub(crate) mod queue;
