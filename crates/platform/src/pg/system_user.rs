//! Who runs the embedded cluster. `initdb` and `postgres` refuse to run as root, so when Palisade
//! runs as root the cluster runs as an unprivileged system user (created on first use), and every
//! directory on the way to the cluster must be enterable by that user.

use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Clone, Debug)]
pub enum RunAs {
    /// Palisade is not root: the cluster runs as the same user.
    CurrentUser,
    /// Palisade is root: the cluster runs as this unprivileged user.
    SystemUser { name: String, uid: u32, gid: u32 },
}

impl RunAs {
    /// Chooses the account for the cluster, creating `name` as a system user if root needs it.
    pub fn for_cluster(name: &str) -> anyhow::Result<Self> {
        if effective_uid()? != 0 {
            return Ok(RunAs::CurrentUser);
        }
        if lookup(name)?.is_none() {
            let status = Command::new("useradd")
                .args(["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name])
                .status()
                .map_err(|e| {
                    anyhow::anyhow!("could not run useradd to create system user {name}: {e}")
                })?;
            // Another process may have created the user between our look-up and useradd.
            if !status.success() && lookup(name)?.is_none() {
                anyhow::bail!("could not create system user {name} (useradd failed)");
            }
        }
        let (uid, gid) = lookup(name)?
            .ok_or_else(|| anyhow::anyhow!("system user {name} is missing after useradd"))?;
        Ok(RunAs::SystemUser { name: name.to_string(), uid, gid })
    }

    /// Makes `command` run as this account.
    pub fn apply(&self, command: &mut Command) {
        if let RunAs::SystemUser { uid, gid, .. } = self {
            command.uid(*uid).gid(*gid);
        }
    }

    /// Hands a directory Palisade created to this account.
    pub fn own(&self, path: &Path) -> anyhow::Result<()> {
        if let RunAs::SystemUser { uid, gid, name } = self {
            std::os::unix::fs::chown(path, Some(*uid), Some(*gid)).map_err(|e| {
                anyhow::anyhow!("could not give {} to user {name}: {e}", path.display())
            })?;
        }
        Ok(())
    }

    /// The first directory on the way to `path` that this account cannot enter, if any.
    pub fn first_unreachable_ancestor(&self, path: &Path) -> Option<PathBuf> {
        let RunAs::SystemUser { uid, gid, .. } = self else {
            return None;
        };
        path.ancestors().skip(1).find_map(|dir| {
            let meta = std::fs::metadata(dir).ok()?;
            let mode = meta.mode();
            let can_enter = if meta.uid() == *uid {
                mode & 0o100 != 0
            } else if meta.gid() == *gid {
                mode & 0o010 != 0
            } else {
                mode & 0o001 != 0
            };
            (!can_enter).then(|| dir.to_path_buf())
        })
    }

    pub fn describe(&self) -> String {
        match self {
            RunAs::CurrentUser => "the current user".to_string(),
            RunAs::SystemUser { name, .. } => format!("system user '{name}'"),
        }
    }
}

/// The effective uid of this process, read without unsafe code: `/proc/self` is owned by it.
pub fn effective_uid() -> anyhow::Result<u32> {
    Ok(std::fs::metadata("/proc/self")?.uid())
}

/// (uid, gid) of a user from /etc/passwd.
fn lookup(name: &str) -> anyhow::Result<Option<(u32, u32)>> {
    let passwd = std::fs::read_to_string("/etc/passwd")?;
    Ok(passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.len() >= 4 && fields[0] == name)
            .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
            .flatten()
    }))
}
