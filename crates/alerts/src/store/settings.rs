//! `alert_settings`: a tenant's settings document and the version of its detection rules.

use platform::TenantTx;

/// The tenant's settings document, if it ever saved one.
#[tracing::instrument(skip(tx))]
pub(crate) async fn get(tx: &mut TenantTx) -> sqlx::Result<Option<serde_json::Value>> {
    sqlx::query_scalar("select settings from alert_settings where tenant_id = $1")
        .bind(tx.tenant())
        .fetch_optional(&mut **tx)
        .await
}

#[tracing::instrument(skip(tx, settings))]
pub(crate) async fn put(tx: &mut TenantTx, settings: &serde_json::Value) -> sqlx::Result<()> {
    sqlx::query(
        "insert into alert_settings (tenant_id, settings) values ($1, $2)
         on conflict (tenant_id) do update set settings = excluded.settings, updated_at = now()",
    )
    .bind(tx.tenant())
    .bind(settings)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// The tenant's settings document (if saved) and its rule-set version, in one read.
#[tracing::instrument(level = "debug", skip(tx))]
pub(crate) async fn load(tx: &mut TenantTx) -> sqlx::Result<(Option<serde_json::Value>, i64)> {
    let row: Option<(serde_json::Value, i64)> =
        sqlx::query_as("select settings, rules_version from alert_settings where tenant_id = $1")
            .bind(tx.tenant())
            .fetch_optional(&mut **tx)
            .await?;
    Ok(match row {
        Some((settings, version)) => (Some(settings), version),
        None => (None, 0),
    })
}

/// Bumps the rule set's version, in the transaction of the rule change.
#[tracing::instrument(skip(tx))]
pub(crate) async fn bump_rules_version(tx: &mut TenantTx) -> sqlx::Result<()> {
    sqlx::query(
        "insert into alert_settings (tenant_id, rules_version) values ($1, 1)
         on conflict (tenant_id) do update
            set rules_version = alert_settings.rules_version + 1, updated_at = now()",
    )
    .bind(tx.tenant())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
