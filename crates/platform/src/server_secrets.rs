//! Server secrets the operator did not configure (JWT signing key, API-key pepper, channel
//! encryption key): generated once, stored in `server_secrets`, and shared by every process of
//! the installation. Only the owner of a secret decides whether a configured value wins.

use rand::RngCore;
use sqlx::PgPool;

/// The secret called `name`, if it was ever generated.
pub async fn load(pool: &PgPool, name: &str) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar("select value from server_secrets where name = $1")
        .bind(name)
        .fetch_optional(pool)
        .await
}

/// The secret called `name`, created with 32 random bytes if it does not exist yet. Safe when
/// several processes start at once: the first insert wins and everyone reads it.
pub async fn load_or_create(pool: &PgPool, name: &str) -> Result<Vec<u8>, sqlx::Error> {
    let mut fresh = vec![0u8; 32];
    rand::rng().fill_bytes(&mut fresh);
    sqlx::query(
        "insert into server_secrets (name, value) values ($1, $2) on conflict (name) do nothing",
    )
    .bind(name)
    .bind(&fresh)
    .execute(pool)
    .await?;
    sqlx::query_scalar("select value from server_secrets where name = $1")
        .bind(name)
        .fetch_one(pool)
        .await
}
