//! Server secrets the operator did not configure (JWT signing key, API-key pepper, mail-token
//! key, channel-secret key, audit-chain key): generated once, stored in `server_secrets`
//! **wrapped with the master key** (`crate::keys`), and shared by every process of the
//! installation. Only the owner of a secret decides whether a configured value wins.
//!
//! A row stored before wrapping existed is wrapped the first time it is read. It must not hand a
//! wrapped value to anyone as if it were the key, nor log one.

use crate::Secret;
use crate::keys::{MasterKeys, Wrapped};
use anyhow::Context;
use rand::RngCore;
use sqlx::PgPool;
use std::sync::Arc;

/// The installation's server secrets, opened with its master keys. Cheap to clone.
#[derive(Clone, Debug)]
pub struct SecretStore {
    pool: PgPool,
    keys: Arc<MasterKeys>,
}

#[derive(sqlx::FromRow)]
struct Row {
    value: Vec<u8>,
    kek_id: Option<String>,
    nonce: Option<Vec<u8>>,
}

/// What `rewrap` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rewrapped {
    pub secrets: usize,
    /// Rows that still need a key other than the current one afterwards (must be 0).
    pub left_behind: usize,
}

impl SecretStore {
    pub fn new(pool: PgPool, keys: MasterKeys) -> SecretStore {
        SecretStore { pool, keys: Arc::new(keys) }
    }

    pub fn master_keys(&self) -> &MasterKeys {
        &self.keys
    }

    /// The secret called `name`, if it was ever generated.
    pub async fn load(&self, name: &str) -> anyhow::Result<Option<Secret<Vec<u8>>>> {
        let row: Option<Row> =
            sqlx::query_as("select value, kek_id, nonce from server_secrets where name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await
                .with_context(|| format!("reading the server secret `{name}`"))?;
        match row {
            None => Ok(None),
            Some(row) => self.open(name, row).await.map(Some),
        }
    }

    /// The secret called `name`, created with 32 random bytes if it does not exist yet. Safe when
    /// several processes start at once: the first insert wins and everyone reads it.
    pub async fn load_or_create(&self, name: &str) -> anyhow::Result<Secret<Vec<u8>>> {
        let mut fresh = vec![0u8; 32];
        rand::rng().fill_bytes(&mut fresh);
        let wrapped = self.keys.wrap(name, &fresh)?;
        sqlx::query(
            "insert into server_secrets (name, value, kek_id, nonce) values ($1, $2, $3, $4)
             on conflict (name) do nothing",
        )
        .bind(name)
        .bind(&wrapped.ciphertext)
        .bind(&wrapped.key_id)
        .bind(&wrapped.nonce)
        .execute(&self.pool)
        .await
        .with_context(|| format!("storing the server secret `{name}`"))?;
        self.load(name).await?.with_context(|| format!("the server secret `{name}` vanished"))
    }

    async fn open(&self, name: &str, row: Row) -> anyhow::Result<Secret<Vec<u8>>> {
        match (row.kek_id, row.nonce) {
            (Some(key_id), Some(nonce)) => {
                self.keys.unwrap(name, &Wrapped { key_id, nonce, ciphertext: row.value })
            }
            _ => {
                // Stored in the clear by an older version: wrap it now, once.
                self.store(name, &row.value).await?;
                tracing::info!(name, "wrapped a server secret stored before the master key");
                Ok(Secret::new(row.value))
            }
        }
    }

    async fn store(&self, name: &str, plaintext: &[u8]) -> anyhow::Result<()> {
        let wrapped = self.keys.wrap(name, plaintext)?;
        sqlx::query(
            "update server_secrets set value = $2, kek_id = $3, nonce = $4 where name = $1",
        )
        .bind(name)
        .bind(&wrapped.ciphertext)
        .bind(&wrapped.key_id)
        .bind(&wrapped.nonce)
        .execute(&self.pool)
        .await
        .with_context(|| format!("wrapping the server secret `{name}`"))?;
        Ok(())
    }

    /// Wraps every server secret with the current master key, then checks that none needs
    /// another key any more.
    pub async fn rewrap(&self) -> anyhow::Result<Rewrapped> {
        let names: Vec<String> =
            sqlx::query_scalar("select name from server_secrets order by name")
                .fetch_all(&self.pool)
                .await?;
        for name in &names {
            let secret = self.load(name).await?.with_context(|| format!("`{name}` vanished"))?;
            self.store(name, secret.expose()).await?;
        }
        let left_behind: i64 = sqlx::query_scalar(
            "select count(*) from server_secrets where kek_id is distinct from $1",
        )
        .bind(self.keys.current().id())
        .fetch_one(&self.pool)
        .await?;
        Ok(Rewrapped { secrets: names.len(), left_behind: left_behind as usize })
    }
}
