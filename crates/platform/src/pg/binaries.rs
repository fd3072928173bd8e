//! Finds the PostgreSQL server binaries: `PG_BIN_DIR` (or `database.pg_bin_dir`), then
//! `pg_config --bindir`, then the newest `/usr/lib/postgresql/*/bin`.

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Clone, Debug)]
pub struct PgBinaries {
    dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum FindError {
    #[error(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: install them \
         (`sudo scripts/install-postgres.sh`, or `apt-get install postgresql`), point PG_BIN_DIR \
         at their directory, or set DATABASE_URL to use an existing database"
    )]
    NotFound,
    #[error("PG_BIN_DIR={0} does not contain initdb, pg_ctl and postgres")]
    BadConfiguredDir(PathBuf),
}

impl PgBinaries {
    pub fn find(configured: Option<&Path>) -> Result<Self, FindError> {
        if let Some(dir) = configured {
            return if has_server_binaries(dir) {
                Ok(Self { dir: dir.to_path_buf() })
            } else {
                Err(FindError::BadConfiguredDir(dir.to_path_buf()))
            };
        }
        pg_config_bindir()
            .into_iter()
            .chain(newest_debian_bindir())
            .find(|dir| has_server_binaries(dir))
            .map(|dir| Self { dir })
            .ok_or(FindError::NotFound)
    }

    pub fn tool(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

fn has_server_binaries(dir: &Path) -> bool {
    ["initdb", "pg_ctl", "postgres"].iter().all(|tool| dir.join(tool).is_file())
}

fn pg_config_bindir() -> Option<PathBuf> {
    let output = Command::new("pg_config").arg("--bindir").output().ok()?;
    output.status.success().then(|| PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()))
}

fn newest_debian_bindir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir)
}
