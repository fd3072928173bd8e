//! One embedded cluster's files and processes. See the module doc of `pg`.

use super::{APP_ROLE, DATABASE, OWNER_ROLE, PgBinaries, RunAs, SUPERUSER};
use sha2::{Digest, Sha256};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Production clusters sync to disk; test clusters trade durability for speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    Durable,
    Throwaway,
}

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("another palisade is already running on data_dir {data_dir} (lock file {lock})")]
    AlreadyRunning { data_dir: PathBuf, lock: PathBuf },
    #[error(
        "the embedded PostgreSQL runs as {user}, which cannot enter {blocked}; choose a data_dir it \
         can reach (for example PALISADE_DATA_DIR=/var/lib/palisade) or set DATABASE_URL"
    )]
    Unreachable { user: String, blocked: PathBuf },
    #[error("{step} failed: {detail}")]
    Command { step: &'static str, detail: String },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug)]
pub struct Cluster {
    root: PathBuf,
    binaries: PgBinaries,
    run_as: RunAs,
    /// Held for the life of the cluster: a second palisade on the same data_dir cannot take it.
    _lock: File,
}

/// The port only names the socket file (`.s.PGSQL.5432`); nothing listens on TCP.
const PORT: u16 = 5432;
/// Linux limits a Unix socket path to 107 bytes.
const MAX_SOCKET_PATH: usize = 100;

impl Cluster {
    /// Starts (initializing on first use) the cluster that belongs to `data_dir`. Blocking: call it
    /// from `spawn_blocking`.
    pub fn start(
        data_dir: &Path,
        binaries: PgBinaries,
        run_as: RunAs,
        durability: Durability,
    ) -> Result<Cluster, ClusterError> {
        fs::DirBuilder::new().recursive(true).mode(0o711).create(data_dir).map_err(|e| {
            anyhow::anyhow!("could not create data_dir {}: {e}", data_dir.display())
        })?;
        let data_dir = fs::canonicalize(data_dir)
            .map_err(|e| anyhow::anyhow!("data_dir {}: {e}", data_dir.display()))?;
        let lock = take_lock(&data_dir)?;
        let root = cluster_root(&data_dir, &run_as)?;
        let cluster = Cluster { root, binaries, run_as, _lock: lock };
        cluster.prepare_dirs()?;
        if !cluster.pgdata().join("PG_VERSION").is_file() {
            cluster.initdb(durability)?;
        }
        cluster.write_settings(durability)?;
        cluster.clear_leftover_postmaster()?;
        cluster.pg_ctl(
            "start the embedded PostgreSQL",
            &["start", "-w", "-t", "60", "-l"],
            true,
        )?;
        Ok(cluster)
    }

    /// Creates the owner and application roles and the database, if they do not exist yet.
    pub async fn bootstrap(&self) -> Result<(), ClusterError> {
        let mut conn = PgConnection::connect_with(&self.connect_options(SUPERUSER, "postgres"))
            .await
            .map_err(|e| anyhow::anyhow!("connecting to the embedded cluster: {e}"))?;
        let statements = [
            format!(
                "do $$ begin
                   if not exists (select from pg_roles where rolname = '{OWNER_ROLE}') then
                     create role {OWNER_ROLE} login nosuperuser nobypassrls nocreaterole;
                   end if;
                   if not exists (select from pg_roles where rolname = '{APP_ROLE}') then
                     create role {APP_ROLE} login nosuperuser nobypassrls nocreaterole nocreatedb;
                   end if;
                 end $$"
            ),
            // The owner may create throwaway databases in tests; nothing else needs that.
            format!("alter role {OWNER_ROLE} createdb"),
        ];
        for sql in statements {
            // Role and database names are our own constants, never user input.
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        let exists: bool =
            sqlx::query_scalar("select exists (select from pg_database where datname = $1)")
                .bind(DATABASE)
                .fetch_one(&mut conn)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        if !exists {
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "create database {DATABASE} owner {OWNER_ROLE} encoding 'UTF8'"
            )))
            .execute(&mut conn)
            .await
            .map_err(|e| anyhow::anyhow!("creating database {DATABASE}: {e}"))?;
        }
        Ok(())
    }

    /// Connection options for `user` on `database` over the cluster's Unix socket.
    pub fn connect_options(&self, user: &str, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(self.socket_dir())
            .port(PORT)
            .username(user)
            .database(database)
            .application_name("palisade")
    }

    /// Connection options for the cluster of `data_dir` that another palisade is running right
    /// now (it holds the lock): operator commands use it instead of starting their own.
    pub fn running_elsewhere(
        data_dir: &Path,
        user: &str,
        database: &str,
    ) -> Option<PgConnectOptions> {
        let data_dir = fs::canonicalize(data_dir).ok()?;
        let root = match fs::read_to_string(data_dir.join("postgres.location")) {
            Ok(text) => PathBuf::from(text.trim()),
            Err(_) => data_dir.join("postgres"),
        };
        root.join("data/postmaster.pid").is_file().then(|| {
            PgConnectOptions::new()
                .socket(root.join("run"))
                .port(PORT)
                .username(user)
                .database(database)
                .application_name("palisade-admin")
        })
    }

    /// Stops the cluster, waiting for it to shut down cleanly. Blocking.
    pub fn stop(self) -> Result<(), ClusterError> {
        self.pg_ctl(
            "stop the embedded PostgreSQL",
            &["stop", "-m", "fast", "-w", "-t", "60"],
            false,
        )
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn pgdata(&self) -> PathBuf {
        self.root.join("data")
    }

    /// The directory holding the cluster's Unix socket (`host=` of a connection URL).
    pub fn socket_dir(&self) -> PathBuf {
        self.root.join("run")
    }

    fn prepare_dirs(&self) -> Result<(), ClusterError> {
        for dir in [self.root.clone(), self.socket_dir()] {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&dir)
                .map_err(|e| anyhow::anyhow!("creating {}: {e}", dir.display()))?;
            fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))
                .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
            self.run_as.own(&dir)?;
        }
        Ok(())
    }

    fn initdb(&self, durability: Durability) -> Result<(), ClusterError> {
        let pgdata = self.pgdata();
        let mut command = Command::new(self.binaries.tool("initdb"));
        command.arg("-D").arg(&pgdata).args([
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
        ]);
        if durability == Durability::Throwaway {
            command.arg("--no-sync");
        }
        self.run("initialize the embedded PostgreSQL (initdb)", command)?;
        let mut conf = OpenOptions::new()
            .append(true)
            .open(pgdata.join("postgresql.conf"))
            .map_err(|e| anyhow::anyhow!("opening postgresql.conf: {e}"))?;
        writeln!(conf, "\n# Palisade rewrites palisade.conf at every start.\ninclude_if_exists = 'palisade.conf'")
            .map_err(|e| anyhow::anyhow!("writing postgresql.conf: {e}"))?;
        Ok(())
    }

    /// Settings that depend on where the cluster is and what it is for, rewritten at each start.
    fn write_settings(&self, durability: Durability) -> Result<(), ClusterError> {
        let socket_dir = self.socket_dir();
        if socket_dir.join(".s.PGSQL.5432").as_os_str().len() > MAX_SOCKET_PATH {
            return Err(anyhow::anyhow!(
                "the socket path under {} is too long for a Unix socket; choose a shorter data_dir",
                socket_dir.display()
            )
            .into());
        }
        let mut settings = format!(
            "listen_addresses = ''\nunix_socket_directories = '{}'\nunix_socket_permissions = 0700\n\
             max_connections = {}\n",
            socket_dir.display().to_string().replace('\'', "''"),
            super::EMBEDDED_MAX_CONNECTIONS
        );
        if durability == Durability::Throwaway {
            settings.push_str("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
        }
        let path = self.pgdata().join("palisade.conf");
        fs::write(&path, settings)
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
        self.run_as.own(&path)?;
        Ok(())
    }

    /// After a crash of palisade, its cluster may still run (orphaned) or have left a stale
    /// `postmaster.pid`. We hold the data_dir lock, so neither belongs to a live palisade.
    fn clear_leftover_postmaster(&self) -> Result<(), ClusterError> {
        let pid_file = self.pgdata().join("postmaster.pid");
        let Ok(text) = fs::read_to_string(&pid_file) else {
            return Ok(());
        };
        let pid = text.lines().next().unwrap_or_default().trim();
        let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let alive = !pid.is_empty() && String::from_utf8_lossy(&cmdline).contains("postgres");
        if alive {
            tracing::warn!(pid, "stopping a PostgreSQL left running by an earlier palisade");
            self.pg_ctl(
                "stop the leftover PostgreSQL",
                &["stop", "-m", "fast", "-w", "-t", "60"],
                false,
            )
        } else {
            tracing::warn!(path = %pid_file.display(), "removing a stale postmaster.pid");
            fs::remove_file(&pid_file)
                .map_err(|e| anyhow::anyhow!("removing stale pid file: {e}").into())
        }
    }

    fn pg_ctl(
        &self,
        step: &'static str,
        args: &[&str],
        with_log: bool,
    ) -> Result<(), ClusterError> {
        let mut command = Command::new(self.binaries.tool("pg_ctl"));
        command.arg("-D").arg(self.pgdata()).args(args);
        if with_log {
            command.arg(self.root.join("postgres.log"));
        }
        self.run(step, command)
    }

    fn run(&self, step: &'static str, mut command: Command) -> Result<(), ClusterError> {
        // The cluster's user may not be able to read the caller's working directory.
        command.current_dir(&self.root);
        self.run_as.apply(&mut command);
        let output =
            command.output().map_err(|e| ClusterError::Command { step, detail: e.to_string() })?;
        if output.status.success() {
            return Ok(());
        }
        let mut detail = String::from_utf8_lossy(&output.stderr).trim().to_string();
        if let Ok(log) = fs::read_to_string(self.root.join("postgres.log")) {
            let tail: Vec<&str> = log.lines().rev().take(5).collect();
            detail.push_str(&format!(
                " (postgres.log: {})",
                tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
            ));
        }
        Err(ClusterError::Command { step, detail })
    }
}

fn take_lock(data_dir: &Path) -> Result<File, ClusterError> {
    let path = data_dir.join("palisade.lock");
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| anyhow::anyhow!("opening {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(ClusterError::AlreadyRunning {
                data_dir: data_dir.to_path_buf(),
                lock: path,
            });
        }
        Err(TryLockError::Error(e)) => {
            return Err(anyhow::anyhow!("locking {}: {e}", path.display()).into());
        }
    }
    file.set_len(0).and_then(|()| writeln!(file, "{}", std::process::id())).ok();
    Ok(file)
}

/// `<data_dir>/postgres`, unless the cluster's user cannot get there (a data_dir under root's
/// 0700 home is the usual case): then a directory of its own under /var/lib/palisade, named after
/// the data_dir so that each data_dir keeps its own cluster.
fn cluster_root(data_dir: &Path, run_as: &RunAs) -> Result<PathBuf, ClusterError> {
    let preferred = data_dir.join("postgres");
    let Some(blocked) = run_as.first_unreachable_ancestor(&preferred) else {
        return Ok(preferred);
    };
    let digest = Sha256::digest(data_dir.as_os_str().as_encoded_bytes());
    let fallback = Path::new("/var/lib/palisade/embedded").join(&hex::encode(digest)[..16]);
    if run_as.first_unreachable_ancestor(&fallback).is_some() {
        return Err(ClusterError::Unreachable { user: run_as.describe(), blocked });
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o755)
        .create(fallback.parent().unwrap_or(Path::new("/var/lib/palisade")))
        .map_err(|e| anyhow::anyhow!("creating /var/lib/palisade/embedded: {e}"))?;
    tracing::warn!(
        data_dir = %data_dir.display(),
        blocked = %blocked.display(),
        cluster = %fallback.display(),
        "the embedded PostgreSQL's user cannot enter a directory above data_dir; keeping the cluster \
         under /var/lib/palisade instead (choose a reachable data_dir to keep everything together)"
    );
    let note = data_dir.join("postgres.location");
    fs::write(&note, format!("{}\n", fallback.display()))
        .map_err(|e| anyhow::anyhow!("writing {}: {e}", note.display()))?;
    Ok(fallback)
}
