//! Chooses and opens the database: the embedded cluster under data_dir when no `DATABASE_URL` is
//! set, the given database otherwise. Applies migrations as the owner role and hands the server a
//! pool of the application role.

use anyhow::Context;
use platform::Db;
use platform::config::PlatformSettings;
use platform::pg::{self, Cluster, ClusterError, Durability, PgBinaries, RunAs};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;

pub enum Migrations {
    /// Apply what is pending (needs the owner role).
    Apply,
    /// Apply when the owner role is available; otherwise leave it to `/readyz` to report.
    ApplyIfOwner,
}

pub struct Database {
    pub app: Db,
    cluster: Option<Cluster>,
}

impl Database {
    pub async fn open(
        config: &PlatformSettings,
        migrations: Migrations,
    ) -> anyhow::Result<Database> {
        match &config.database.url {
            None => Self::open_embedded(config).await,
            Some(url) => Self::open_external(config, url.expose(), migrations).await,
        }
    }

    /// Like `open`, but when `palisade serve` already runs the embedded cluster of this data_dir,
    /// connects to it instead of refusing: for operator commands.
    pub async fn open_or_attach(config: &PlatformSettings) -> anyhow::Result<Database> {
        match Self::open(config, Migrations::ApplyIfOwner).await {
            Err(e) if config.database.url.is_none() && is_already_running(&e) => {
                let options =
                    Cluster::running_elsewhere(&config.data_dir, pg::APP_ROLE, pg::DATABASE)
                        .ok_or(e)?;
                tracing::info!("attached to the embedded PostgreSQL of the running palisade");
                Ok(Database { app: Db::connect_lazy(options, 4), cluster: None })
            }
            other => other,
        }
    }

    async fn open_embedded(config: &PlatformSettings) -> anyhow::Result<Database> {
        let binaries = PgBinaries::find(config.database.pg_bin_dir.as_deref())?;
        let run_as = RunAs::for_cluster(&config.database.system_user)?;
        let data_dir = config.data_dir.clone();
        let cluster = tokio::task::spawn_blocking(move || {
            Cluster::start(&data_dir, binaries, run_as, Durability::Durable)
        })
        .await
        .context("starting the embedded PostgreSQL")??;
        tracing::info!(root = %cluster.root().display(), "embedded PostgreSQL started");
        let opened = async {
            cluster.bootstrap().await?;
            let owner = PgPoolOptions::new()
                .max_connections(2)
                .connect_with(cluster.connect_options(pg::OWNER_ROLE, pg::DATABASE))
                .await
                .context("connecting to the embedded database as its owner")?;
            platform::migrate::run(&owner).await?;
            owner.close().await;
            anyhow::Ok(())
        }
        .await;
        let app = Db::connect_lazy(
            cluster.connect_options(pg::APP_ROLE, pg::DATABASE),
            config.database.max_connections,
        );
        let database = Database { app, cluster: Some(cluster) };
        if let Err(e) = opened {
            database.close().await;
            return Err(e);
        }
        Ok(database)
    }

    async fn open_external(
        config: &PlatformSettings,
        app_url: &str,
        migrations: Migrations,
    ) -> anyhow::Result<Database> {
        let app_options = PgConnectOptions::from_str(app_url)
            .context("DATABASE_URL is not a valid PostgreSQL URL")?
            .application_name("palisade");
        match (&config.database.owner_url, migrations) {
            (Some(owner_url), _) => {
                let options = PgConnectOptions::from_str(owner_url.expose())
                    .context("PALISADE_DATABASE_OWNER_URL is not a valid PostgreSQL URL")?;
                let owner = PgPoolOptions::new()
                    .max_connections(2)
                    .connect_with(options)
                    .await
                    .context("connecting with the owner URL")?;
                platform::migrate::run(&owner).await?;
                owner.close().await;
            }
            (None, Migrations::Apply) => anyhow::bail!(
                "migrating an external database needs the owner role: set \
                 PALISADE_DATABASE_OWNER_URL (database.owner_url)"
            ),
            (None, Migrations::ApplyIfOwner) => {
                tracing::info!(
                    "no owner URL configured; migrations are left to `palisade migrate`"
                );
            }
        }
        Ok(Database {
            app: Db::connect_lazy(app_options, config.database.max_connections),
            cluster: None,
        })
    }

    /// Closes the pool and, for an embedded cluster this process started, stops PostgreSQL
    /// cleanly.
    pub async fn close(self) {
        self.app.pool().close().await;
        if let Some(cluster) = self.cluster {
            match tokio::task::spawn_blocking(move || cluster.stop()).await {
                Ok(Ok(())) => tracing::info!("embedded PostgreSQL stopped"),
                Ok(Err(e)) => tracing::error!(error = %e, "stopping the embedded PostgreSQL"),
                Err(e) => tracing::error!(error = %e, "stopping the embedded PostgreSQL"),
            }
        }
    }
}

fn is_already_running(error: &anyhow::Error) -> bool {
    matches!(error.downcast_ref::<ClusterError>(), Some(ClusterError::AlreadyRunning { .. }))
}
