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
    #[error("PostgreSQL {found} in {dir} is too old: Palisade needs {MIN_MAJOR} or newer")]
    TooOld { found: u32, dir: PathBuf },
}

/// The oldest PostgreSQL major version Palisade runs on.
pub const MIN_MAJOR: u32 = 15;

impl PgBinaries {
    pub fn find(configured: Option<&Path>) -> Result<Self, FindError> {
        let found = match configured {
            Some(dir) if has_server_binaries(dir) => Self { dir: dir.to_path_buf() },
            Some(dir) => return Err(FindError::BadConfiguredDir(dir.to_path_buf())),
            None => pg_config_bindir()
                .into_iter()
                .chain(newest_debian_bindir())
                .find(|dir| has_server_binaries(dir))
                .map(|dir| Self { dir })
                .ok_or(FindError::NotFound)?,
        };
        match found.major_version() {
            Some(major) if major < MIN_MAJOR => {
                Err(FindError::TooOld { found: major, dir: found.dir })
            }
            _ => Ok(found),
        }
    }

    /// The major version `postgres --version` reports (`postgres (PostgreSQL) 15.18` → 15).
    pub fn major_version(&self) -> Option<u32> {
        let output = Command::new(self.tool("postgres")).arg("--version").output().ok()?;
        let text = String::from_utf8_lossy(&output.stdout);
        let version = text.split_whitespace().last()?;
        version.split(['.', ' ']).next()?.parse().ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_installed_postgresql_is_found_and_recent_enough() {
        let binaries = PgBinaries::find(None).expect("scripts/install-postgres.sh installs them");
        assert!(binaries.major_version().is_some_and(|major| major >= MIN_MAJOR));
    }
}
