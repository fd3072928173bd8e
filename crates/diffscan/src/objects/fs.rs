//! The filesystem object store: one file per object under a root directory. A write goes to a
//! temporary file in the same directory, is synced, then renamed into place, so a reader never
//! sees half an object and a crash leaves the old one or the new one. Files are readable by the
//! owner only.

use super::{ObjectError, ObjectKey, ObjectStore};
use async_trait::async_trait;
use bytes::Bytes;
use std::path::PathBuf;
use tokio::io::AsyncWriteExt;

#[derive(Debug, Clone)]
pub struct FsStore {
    root: PathBuf,
}

impl FsStore {
    pub fn new(root: PathBuf) -> FsStore {
        FsStore { root }
    }

    pub fn root(&self) -> &std::path::Path {
        &self.root
    }

    /// Where `key` lives: keys are checked segments, so this stays under the root.
    pub fn path_of(&self, key: &ObjectKey) -> PathBuf {
        key.as_str().split('/').fold(self.root.clone(), |path, segment| path.join(segment))
    }
}

fn io(key: &ObjectKey) -> impl Fn(std::io::Error) -> ObjectError + '_ {
    move |source| ObjectError::Io { key: key.to_string(), source }
}

#[async_trait]
impl ObjectStore for FsStore {
    fn backend(&self) -> &'static str {
        "filesystem"
    }

    async fn put(&self, key: &ObjectKey, bytes: Bytes) -> Result<(), ObjectError> {
        let path = self.path_of(key);
        let dir = path.parent().map(PathBuf::from).unwrap_or_else(|| self.root.clone());
        tokio::fs::create_dir_all(&dir).await.map_err(io(key))?;
        let temporary = dir.join(format!(".tmp-{}", uuid::Uuid::new_v4().simple()));
        let mut options = tokio::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        options.mode(0o600);
        let written = async {
            let mut file = options.open(&temporary).await?;
            file.write_all(&bytes).await?;
            file.sync_all().await?;
            tokio::fs::rename(&temporary, &path).await
        }
        .await;
        if written.is_err() {
            let _ = tokio::fs::remove_file(&temporary).await;
        }
        written.map_err(io(key))
    }

    async fn get(&self, key: &ObjectKey) -> Result<Option<Bytes>, ObjectError> {
        match tokio::fs::read(self.path_of(key)).await {
            Ok(bytes) => Ok(Some(Bytes::from(bytes))),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(io(key)(error)),
        }
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), ObjectError> {
        match tokio::fs::remove_file(self.path_of(key)).await {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(io(key)(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ScanId;
    use platform::TenantId;

    #[tokio::test]
    async fn an_object_round_trips_is_private_and_deleting_twice_is_fine() {
        let root = std::env::temp_dir().join(format!("diffscan-fs-{}", uuid::Uuid::new_v4()));
        let store = FsStore::new(root.clone());
        let key = ObjectKey::diff(TenantId::generate(), ScanId::generate());
        assert_eq!(store.get(&key).await.unwrap(), None);
        store.put(&key, Bytes::from_static(b"first")).await.unwrap();
        store.put(&key, Bytes::from_static(b"diff --git a/x b/x\n")).await.unwrap();
        assert_eq!(store.get(&key).await.unwrap().unwrap(), &b"diff --git a/x b/x\n"[..]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.path_of(&key)).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "readable by the owner only");
        }
        let leftovers: Vec<_> = std::fs::read_dir(store.path_of(&key).parent().unwrap())
            .unwrap()
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.file_name().to_string_lossy().starts_with(".tmp-"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary file stays behind");
        store.delete(&key).await.unwrap();
        store.delete(&key).await.unwrap();
        assert_eq!(store.get(&key).await.unwrap(), None);
        std::fs::remove_dir_all(root).unwrap();
    }
}
