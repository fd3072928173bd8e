//! Notify's SQL: small functions on `&mut PgConnection`, always inside the tenant's `tenant_tx`
//! and always filtering on `tenant_id` as well (row-level security is the second wall, not the
//! first). Nothing here decides; the service does.

pub mod channels;
pub mod deliveries;
pub mod events;

/// A page position of a keyset-paginated list: the last item's id (lists ordered by id).
pub type Cursor = Option<uuid::Uuid>;
