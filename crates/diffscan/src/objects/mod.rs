//! The object store of raw diffs: a trait with two backends, chosen by configuration: files
//! under the data directory (the default) and an S3-compatible bucket signed with AWS Signature
//! Version 4 over reqwest (`s3.rs`, `sigv4.rs`; no SDK).
//!
//! Keys are made here from ids only (`diffs/<tenant>/<scan>.diff`), so nothing a client sends
//! ever becomes part of a path or an object name. A purged diff leaves a deletion marker object
//! (`….deleted.json`: when, why, the digest) beside where it was. It must not know about scans,
//! tenants' data or the database.

mod fs;
mod s3;
pub mod sigv4;

pub use fs::FsStore;
pub use s3::S3Store;

use crate::model::ScanId;
use crate::settings::ObjectStoreSettings;
use async_trait::async_trait;
use bytes::Bytes;
use platform::TenantId;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The name of an object: segments of lowercase letters, digits, `-`, `.` and `/`, built from ids.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ObjectKey(String);

impl ObjectKey {
    /// Where the raw diff of `scan` lives.
    pub fn diff(tenant: TenantId, scan: ScanId) -> ObjectKey {
        ObjectKey(format!("diffs/{tenant}/{scan}.diff"))
    }

    /// The deletion marker left when the object `self` is purged.
    pub fn deletion_marker(&self) -> ObjectKey {
        ObjectKey(format!("{}.deleted.json", self.0.trim_end_matches(".diff")))
    }

    /// A key read back from the database, checked to be one of ours.
    pub fn parse(text: &str) -> Option<ObjectKey> {
        let valid = !text.is_empty()
            && text.len() <= 512
            && !text.starts_with('/')
            && !text.split('/').any(|segment| segment.is_empty() || segment.starts_with('.'))
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-./".contains(&b));
        valid.then(|| ObjectKey(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A failure of the object store, without credentials or signatures.
#[derive(Debug, thiserror::Error)]
pub enum ObjectError {
    #[error("object store I/O on {key}: {source}")]
    Io {
        key: String,
        #[source]
        source: std::io::Error,
    },
    #[error("object store request for {key} failed: {message}")]
    Remote { key: String, message: String },
}

/// Where raw diffs are kept. Every method is idempotent: putting the same key twice keeps the
/// last bytes, deleting a missing object succeeds.
#[async_trait]
pub trait ObjectStore: Send + Sync + fmt::Debug {
    /// `filesystem` or `s3`, for logs and the readiness report.
    fn backend(&self) -> &'static str;
    async fn put(&self, key: &ObjectKey, bytes: Bytes) -> Result<(), ObjectError>;
    /// The object, or `None` when there is none.
    async fn get(&self, key: &ObjectKey) -> Result<Option<Bytes>, ObjectError>;
    async fn delete(&self, key: &ObjectKey) -> Result<(), ObjectError>;
}

/// The store the settings choose; `data_dir` roots the filesystem store by default.
pub fn from_settings(
    settings: &ObjectStoreSettings,
    data_dir: &Path,
    timeout: Duration,
) -> anyhow::Result<Arc<dyn ObjectStore>> {
    Ok(match settings {
        ObjectStoreSettings::Filesystem { root } => {
            let root = root.clone().unwrap_or_else(|| data_dir.join("diffscan"));
            Arc::new(FsStore::new(root))
        }
        ObjectStoreSettings::S3(s3) => Arc::new(S3Store::new(s3.clone(), timeout)?),
    })
}

/// Removes an object and leaves its deletion marker (JSON) in its place.
pub async fn purge(
    store: &dyn ObjectStore,
    key: &ObjectKey,
    marker: &serde_json::Value,
) -> Result<(), ObjectError> {
    let body = Bytes::from(serde_json::to_vec_pretty(marker).unwrap_or_default());
    store.put(&key.deletion_marker(), body).await?;
    store.delete(key).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_made_from_ids_and_foreign_text_is_refused() {
        let (tenant, scan) = (TenantId::generate(), ScanId::generate());
        let key = ObjectKey::diff(tenant, scan);
        assert_eq!(key.as_str(), format!("diffs/{tenant}/{scan}.diff"));
        assert_eq!(ObjectKey::parse(key.as_str()), Some(key.clone()));
        assert_eq!(key.deletion_marker().as_str(), format!("diffs/{tenant}/{scan}.deleted.json"));
        for bad in ["", "/etc/passwd", "diffs/../x", "diffs//x", "Diffs/x", "diffs/.hidden", "a b"]
        {
            assert_eq!(ObjectKey::parse(bad), None, "{bad}");
        }
    }
}
