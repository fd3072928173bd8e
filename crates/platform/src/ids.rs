//! Typed identifiers. A `TenantId` can only be made by parsing or by the database, so a store
//! function that takes one cannot be handed a user id by mistake.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a valid {kind} id: expected a UUID")]
pub struct IdParseError {
    pub kind: &'static str,
}

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, sqlx::Type)]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id (UUIDv7), so new rows land at the end of their index.
            pub fn generate() -> Self {
                Self(Uuid::now_v7())
            }

            pub fn parse(text: &str) -> Result<Self, IdParseError> {
                Uuid::parse_str(text.trim()).map(Self).map_err(|_| IdParseError { kind: $kind })
            }

            pub fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = IdParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}

uuid_id!(
    /// The tenant every tenant-owned row belongs to.
    TenantId,
    "tenant"
);
uuid_id!(
    /// A person who can log in; may belong to several tenants.
    UserId,
    "user"
);

impl TenantId {
    /// The scope of platform-wide records (for example the audit rows of global administration),
    /// which belong to no customer tenant. It is never a row of `tenants`.
    pub const PLATFORM: TenantId = TenantId(Uuid::nil());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_uuids_and_rejects_everything_else() {
        let id = TenantId::generate();
        assert_eq!(TenantId::parse(&id.to_string()), Ok(id));
        assert_eq!(TenantId::parse("not-a-uuid"), Err(IdParseError { kind: "tenant" }));
        assert!(UserId::parse("").is_err());
    }
}
