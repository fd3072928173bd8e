//! Server secrets the operator did not configure: generated once, stored in `server_secrets`, and
//! shared by every process of the installation.

use rand::RngCore;
use sqlx::PgPool;

/// The secret called `name`, created with 32 random bytes if it does not exist yet.
pub async fn load_or_create(pool: &PgPool, name: &str) -> anyhow::Result<Vec<u8>> {
    let mut fresh = vec![0u8; 32];
    rand::rng().fill_bytes(&mut fresh);
    sqlx::query(
        "insert into server_secrets (name, value) values ($1, $2) on conflict (name) do nothing",
    )
    .bind(name)
    .bind(&fresh)
    .execute(pool)
    .await?;
    let value: Vec<u8> = sqlx::query_scalar("select value from server_secrets where name = $1")
        .bind(name)
        .fetch_one(pool)
        .await?;
    Ok(value)
}
