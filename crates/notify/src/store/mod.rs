//! Notify's SQL: small functions on the tenant's `TenantTx`, always filtering on `tenant_id` as well (row-level security is the second wall, not the
//! first). Nothing here decides; the service does.

pub(crate) mod channels;
pub(crate) mod deliveries;
pub(crate) mod events;
