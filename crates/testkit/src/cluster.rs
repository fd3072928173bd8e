//! The process-wide test cluster and the per-test databases cloned from its template.

use anyhow::Context;
use platform::Db;
use platform::pg::{self, Cluster, Durability, PgBinaries, RunAs};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Connection, PgConnection};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use tokio::sync::OnceCell;

const TEMPLATE: &str = "palisade_template";

struct Shared {
    cluster: Cluster,
}

static SHARED: OnceCell<Shared> = OnceCell::const_new();

async fn shared() -> &'static Shared {
    SHARED
        .get_or_init(|| async {
            match start().await {
                Ok(shared) => shared,
                Err(e) => panic!("testkit: cannot start the test PostgreSQL cluster: {e:#}"),
            }
        })
        .await
}

async fn start() -> anyhow::Result<Shared> {
    let dir = std::env::temp_dir().join(format!(
        "palisade-test-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir)?;
    // The cluster's user must be able to enter the directory.
    std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o711))?;
    let binaries = PgBinaries::find(std::env::var_os("PG_BIN_DIR").map(PathBuf::from).as_deref())?;
    let run_as = RunAs::for_cluster("palisade")?;
    let data_dir = dir.clone();
    let cluster = tokio::task::spawn_blocking(move || {
        Cluster::start(&data_dir, binaries, run_as, Durability::Throwaway)
    })
    .await??;
    reap_when_process_exits(&dir, &cluster.pgdata())?;
    cluster.bootstrap().await?;

    let mut admin =
        PgConnection::connect_with(&cluster.connect_options(pg::SUPERUSER, "postgres")).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "create database {TEMPLATE} owner {} template template0",
        pg::OWNER_ROLE
    )))
    .execute(&mut admin)
    .await?;
    admin.close().await?;
    let owner = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(cluster.connect_options(pg::OWNER_ROLE, TEMPLATE))
        .await?;
    platform::migrate::run(&owner).await.context("migrating the template database")?;
    owner.close().await;
    Ok(Shared { cluster })
}

/// Test processes end without running destructors for statics, so a small watchdog stops the
/// cluster (immediate shutdown) and removes its directory once this process is gone.
fn reap_when_process_exits(dir: &std::path::Path, pgdata: &std::path::Path) -> anyhow::Result<()> {
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; \
         pid=$(head -1 '{pgdata}/postmaster.pid' 2>/dev/null); \
         [ -n \"$pid\" ] && kill -QUIT \"$pid\" 2>/dev/null; sleep 1; rm -rf '{dir}'",
        pid = std::process::id(),
        pgdata = pgdata.display(),
        dir = dir.display(),
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting the test cluster's watchdog")?;
    Ok(())
}

/// A migrated database of its own for one test.
pub struct TestDb {
    pub name: String,
    /// The application role's pool: what the server uses, bound by row-level security.
    pub app: Db,
}

/// Creates a fresh database from the migrated template.
pub async fn test_db() -> TestDb {
    let shared = shared().await;
    let name = format!("test_{}", uuid::Uuid::new_v4().simple());
    let mut admin =
        PgConnection::connect_with(&shared.cluster.connect_options(pg::SUPERUSER, "postgres"))
            .await
            .expect("connect to the test cluster");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "create database {name} template {TEMPLATE} owner {}",
        pg::OWNER_ROLE
    )))
    .execute(&mut admin)
    .await
    .expect("create the test database");
    let _ = admin.close().await;
    let app = Db::new(
        PgPoolOptions::new()
            .max_connections(8)
            .connect_lazy_with(shared.cluster.connect_options(pg::APP_ROLE, &name)),
    );
    TestDb { name, app }
}

impl TestDb {
    /// A superuser pool on this database: for tests that play an attacker with full access.
    pub async fn superuser(&self) -> PgPool {
        self.pool_as(pg::SUPERUSER).await
    }

    /// The owner role's pool on this database.
    pub async fn owner(&self) -> PgPool {
        self.pool_as(pg::OWNER_ROLE).await
    }

    async fn pool_as(&self, role: &str) -> PgPool {
        PgPoolOptions::new()
            .max_connections(2)
            .connect_with(self.options(role).await)
            .await
            .expect("connect to the test database")
    }

    /// A `postgres://` URL for `role` on this database, over the cluster's Unix socket.
    pub async fn url(&self, role: &str) -> String {
        let socket = shared().await.cluster.socket_dir();
        format!("postgres://{role}@localhost/{}?host={}", self.name, socket.display())
    }

    pub async fn options(&self, role: &str) -> PgConnectOptions {
        shared().await.cluster.connect_options(role, &self.name)
    }
}
