//! Identity's typed values (emails, slugs, names, parsed once at the edge) and the entities its
//! services hand out (members, tenants, API keys, audit rows). SQL lives in `store`, which is
//! private to the crate: everything another crate needs is here.

mod api_key;
mod audit;
mod invitation;
mod member;
mod tenant;
mod values;

pub use api_key::ApiKeyRow;
pub use audit::{ActionMatch, AuditFilter, AuditRow};
pub use invitation::{Invitation, InvitationId, InvitationStatus};
pub use member::{MemberRow, MembershipStatus};
pub use tenant::{TenantRow, TenantStatus};
pub use values::{Email, Slug, parse_name};
