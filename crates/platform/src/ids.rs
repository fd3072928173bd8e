//! Typed identifiers. An id can only be made by parsing, by generating a fresh one or by the
//! database, so a store function that takes a `ChannelId` cannot be handed a delivery's id by
//! mistake, and a path segment that is not a UUID never reaches a service.
//!
//! Every id is declared with [`id!`](crate::id): a UUID newtype with a private field, `parse`,
//! `generate` (UUIDv7, so new rows land at the end of their index), serde, sqlx and OpenAPI
//! support, `Display`, and the noun its "not found" answer uses. The macro needs nothing from the
//! crate that uses it, so a capability declares its own ids (`AssetId`, `AlertId`, …) in its
//! `model.rs` without depending on serde derive, sqlx derive or utoipa itself.

/// Why a text is not an id.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a valid {kind} id: expected a UUID")]
pub struct IdParseError {
    pub kind: &'static str,
}

/// What every typed id offers generic code (the path extractor, pagination keys).
pub trait TypedId: Copy + Sized {
    /// The noun of this id's object, as "not found" answers name it (`channel`, `API key`).
    const NOUN: &'static str;
    fn from_uuid(uuid: uuid::Uuid) -> Self;
    fn as_uuid(&self) -> uuid::Uuid;
}

/// Re-exports the `id!` expansion refers to, so that its users need none of these crates.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use sqlx;
    pub use utoipa;
    pub use uuid;
}

/// Declares a typed UUID id: `platform::id!(/** doc */ pub ChannelId, "channel");`
#[macro_export]
macro_rules! id {
    ($(#[$doc:meta])* $vis:vis $name:ident, $noun:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis struct $name($crate::ids::__private::uuid::Uuid);

        impl $name {
            /// A fresh, time-ordered id (UUIDv7).
            pub fn generate() -> Self {
                Self($crate::ids::__private::uuid::Uuid::now_v7())
            }

            /// The id written in `text` (surrounding whitespace ignored).
            pub fn parse(text: &str) -> Result<Self, $crate::ids::IdParseError> {
                $crate::ids::__private::uuid::Uuid::parse_str(text.trim())
                    .map(Self)
                    .map_err(|_| $crate::ids::IdParseError { kind: $noun })
            }

            pub fn from_uuid(uuid: $crate::ids::__private::uuid::Uuid) -> Self {
                Self(uuid)
            }

            pub fn as_uuid(&self) -> $crate::ids::__private::uuid::Uuid {
                self.0
            }
        }

        impl $crate::ids::TypedId for $name {
            const NOUN: &'static str = $noun;
            fn from_uuid(uuid: $crate::ids::__private::uuid::Uuid) -> Self {
                Self(uuid)
            }
            fn as_uuid(&self) -> $crate::ids::__private::uuid::Uuid {
                self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ids::IdParseError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::parse(text)
            }
        }

        $crate::__id_serde!($name);
        $crate::__id_sqlx!($name);
        $crate::__id_schema!($name);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __id_serde {
    ($name:ident) => {
        impl $crate::ids::__private::serde::Serialize for $name {
            fn serialize<S: $crate::ids::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                $crate::ids::__private::serde::Serialize::serialize(&self.0, serializer)
            }
        }

        impl<'de> $crate::ids::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::ids::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                <$crate::ids::__private::uuid::Uuid as $crate::ids::__private::serde::Deserialize>::deserialize(deserializer).map(Self)
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __id_sqlx {
    ($name:ident) => {
        impl $crate::ids::__private::sqlx::Type<$crate::ids::__private::sqlx::Postgres> for $name {
            fn type_info() -> $crate::ids::__private::sqlx::postgres::PgTypeInfo {
                <$crate::ids::__private::uuid::Uuid as $crate::ids::__private::sqlx::Type<
                    $crate::ids::__private::sqlx::Postgres,
                >>::type_info()
            }
        }

        impl $crate::ids::__private::sqlx::postgres::PgHasArrayType for $name {
            fn array_type_info() -> $crate::ids::__private::sqlx::postgres::PgTypeInfo {
                <$crate::ids::__private::uuid::Uuid as $crate::ids::__private::sqlx::postgres::PgHasArrayType>::array_type_info()
            }
        }

        impl<'q> $crate::ids::__private::sqlx::Encode<'q, $crate::ids::__private::sqlx::Postgres>
            for $name
        {
            fn encode_by_ref(
                &self,
                buf: &mut $crate::ids::__private::sqlx::postgres::PgArgumentBuffer,
            ) -> Result<
                $crate::ids::__private::sqlx::encode::IsNull,
                $crate::ids::__private::sqlx::error::BoxDynError,
            > {
                <$crate::ids::__private::uuid::Uuid as $crate::ids::__private::sqlx::Encode<
                    'q,
                    $crate::ids::__private::sqlx::Postgres,
                >>::encode_by_ref(&self.0, buf)
            }
        }

        impl<'r> $crate::ids::__private::sqlx::Decode<'r, $crate::ids::__private::sqlx::Postgres>
            for $name
        {
            fn decode(
                value: $crate::ids::__private::sqlx::postgres::PgValueRef<'r>,
            ) -> Result<Self, $crate::ids::__private::sqlx::error::BoxDynError> {
                <$crate::ids::__private::uuid::Uuid as $crate::ids::__private::sqlx::Decode<
                    'r,
                    $crate::ids::__private::sqlx::Postgres,
                >>::decode(value)
                .map(Self)
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __id_schema {
    ($name:ident) => {
        impl $crate::ids::__private::utoipa::PartialSchema for $name {
            fn schema() -> $crate::ids::__private::utoipa::openapi::RefOr<
                $crate::ids::__private::utoipa::openapi::schema::Schema,
            > {
                $crate::ids::uuid_schema()
            }
        }

        impl $crate::ids::__private::utoipa::ToSchema for $name {}
    };
}

/// The OpenAPI schema of every id: a string in UUID format.
#[doc(hidden)]
pub fn uuid_schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
        .into()
}

crate::id!(
    /// The tenant every tenant-owned row belongs to.
    pub TenantId,
    "tenant"
);
crate::id!(
    /// A person who can log in; may belong to several tenants.
    pub UserId,
    "user"
);
crate::id!(
    /// An API key of a tenant.
    pub ApiKeyId,
    "API key"
);
crate::id!(
    /// An event of the transactional outbox.
    pub EventId,
    "event"
);
crate::id!(
    /// A notification channel (webhook, Slack, email) of a tenant.
    pub ChannelId,
    "channel"
);
crate::id!(
    /// One event's delivery to one channel.
    pub DeliveryId,
    "delivery"
);

impl TenantId {
    /// The scope of platform-wide records (for example the audit rows of global administration),
    /// which belong to no customer tenant. It is never a row of `tenants`.
    pub const PLATFORM: TenantId = TenantId(uuid::Uuid::nil());
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

    #[test]
    fn ids_serialize_as_their_uuid_text() {
        let id = ChannelId::generate();
        let json = serde_json::to_string(&id).unwrap_or_default();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<ChannelId>(&json).ok(), Some(id));
        assert!(serde_json::from_str::<ChannelId>("\"nope\"").is_err());
    }

    #[test]
    fn every_id_names_its_noun() {
        assert_eq!(<DeliveryId as TypedId>::NOUN, "delivery");
        assert_eq!(<ApiKeyId as TypedId>::NOUN, "API key");
    }
}
