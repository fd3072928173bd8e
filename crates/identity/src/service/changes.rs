//! Change announcements between processes. A service that changes something the authentication
//! caches hold (a tenant's or user's status, a membership, the role matrix, a revoked token or
//! key) calls `announce` inside its transaction; PostgreSQL delivers the notification at commit to
//! every palisade process, whose listener drops the stale cache entries.

use super::Identity;
use platform::{TenantId, UserId};
use sqlx::PgConnection;
use sqlx::postgres::PgListener;
use std::time::Duration;
use uuid::Uuid;

pub const CHANNEL: &str = "palisade_identity";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Tenant(TenantId),
    User(UserId),
    Member(TenantId, UserId),
    Roles(TenantId),
    AccessToken(Uuid),
    ApiKey(String),
    /// A session (refresh-token family) of a tenant ended.
    Session(TenantId, Uuid),
}

impl Change {
    fn encode(&self) -> String {
        match self {
            Change::Tenant(t) => format!("tenant:{t}"),
            Change::User(u) => format!("user:{u}"),
            Change::Member(t, u) => format!("member:{t}:{u}"),
            Change::Roles(t) => format!("roles:{t}"),
            Change::AccessToken(jti) => format!("jti:{jti}"),
            Change::ApiKey(prefix) => format!("api_key:{prefix}"),
            Change::Session(t, family) => format!("session:{t}:{family}"),
        }
    }

    fn decode(text: &str) -> Option<Change> {
        let (kind, rest) = text.split_once(':')?;
        Some(match kind {
            "tenant" => Change::Tenant(TenantId::parse(rest).ok()?),
            "user" => Change::User(UserId::parse(rest).ok()?),
            "member" => {
                let (t, u) = rest.split_once(':')?;
                Change::Member(TenantId::parse(t).ok()?, UserId::parse(u).ok()?)
            }
            "roles" => Change::Roles(TenantId::parse(rest).ok()?),
            "jti" => Change::AccessToken(Uuid::parse_str(rest).ok()?),
            "api_key" => Change::ApiKey(rest.to_string()),
            "session" => {
                let (t, family) = rest.split_once(':')?;
                Change::Session(TenantId::parse(t).ok()?, Uuid::parse_str(family).ok()?)
            }
            _ => return None,
        })
    }
}

/// Queues the announcement; it is sent when (and only if) the transaction commits.
pub async fn announce(conn: &mut PgConnection, change: &Change) -> sqlx::Result<()> {
    sqlx::query("select pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(change.encode())
        .execute(conn)
        .await
        .map(|_| ())
}

impl Identity {
    /// Drops what `change` made stale from this process's caches.
    pub fn forget(&self, change: &Change) {
        let caches = &self.inner.caches;
        match change {
            Change::Tenant(t) => {
                caches.tenants.remove_where(|k| k == t);
                caches.members.remove_where(|(tenant, _)| tenant == t);
            }
            Change::User(u) => {
                caches.users.remove_where(|k| k == u);
                caches.members.remove_where(|(_, user)| user == u);
                caches.sessions.remove_where(|(_, user, _)| user == u);
            }
            Change::Member(t, u) => {
                caches.members.remove_where(|k| k == &(*t, *u));
                caches.sessions.remove_where(|(tenant, user, _)| (tenant, user) == (t, u));
            }
            Change::Roles(t) => caches.roles.remove_where(|(tenant, _)| tenant == t),
            Change::AccessToken(jti) => caches.revoked.remove_where(|k| k == jti),
            Change::ApiKey(prefix) => caches.api_keys.remove_where(|k| k == prefix),
            Change::Session(t, family) => {
                caches.sessions.remove_where(|(tenant, _, f)| (tenant, f) == (t, family));
            }
        }
    }

    /// Listens for announcements from every process until the pool closes; reconnects after
    /// errors, clearing every cache since announcements may have been missed meanwhile.
    pub async fn listen_for_changes(self) {
        loop {
            match self.listen_once().await {
                Ok(()) => return,
                Err(e) => {
                    if self.inner.db.pool().is_closed() {
                        return;
                    }
                    tracing::warn!(error = %e, "identity change listener lost its connection");
                    self.inner.caches.clear_all();
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    async fn listen_once(&self) -> sqlx::Result<()> {
        let mut listener = PgListener::connect_with(self.inner.db.pool()).await?;
        listener.listen(CHANNEL).await?;
        loop {
            let notification = listener.recv().await?;
            match Change::decode(notification.payload()) {
                Some(change) => self.forget(&change),
                None => tracing::warn!(payload = notification.payload(), "unknown identity change"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_round_trip_through_their_encoding() {
        let (t, u) = (TenantId::generate(), UserId::generate());
        for change in [
            Change::Tenant(t),
            Change::User(u),
            Change::Member(t, u),
            Change::Roles(t),
            Change::AccessToken(Uuid::new_v4()),
            Change::ApiKey("abc123def456".into()),
            Change::Session(t, Uuid::now_v7()),
        ] {
            assert_eq!(Change::decode(&change.encode()), Some(change));
        }
        assert_eq!(Change::decode("nonsense"), None);
    }
}
