//! Reading scans and their results: one scan, the list, findings, the signed artifact and its
//! HTML and SARIF views, the raw diff (while retention keeps it), purging it on request with its
//! deletion marker, and the keys that verify artifacts.

use super::Diffscan;
use crate::error::DiffscanError;
use crate::model::{FindingFilter, FindingRecord, ScanFilter, ScanId, ScanRecord};
use crate::objects::{self, ObjectKey};
use crate::store;
use base64::Engine as _;
use bytes::Bytes;
use chrono::Utc;
use diffscan_engine::attest::Statement;
use diffscan_engine::report::Report;
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::{Page, PageRequest};
use serde_json::{Value, json};

/// A DSSE envelope as JSON bytes.
pub type Envelope = Vec<u8>;

/// A key that verifies this installation's artifacts.
#[derive(Debug, Clone)]
pub struct SigningKeyInfo {
    pub key_id: String,
    /// `ed25519` or `hmac-sha256`.
    pub algorithm: &'static str,
    /// The ed25519 public key, base64; `None` for HMAC (verifiers hold the shared key).
    pub public_key: Option<String>,
    /// The public development key: its signatures prove nothing.
    pub development: bool,
}

/// The report inside a stored artifact (our own, already verified when it was made).
pub(crate) fn report_of(artifact: &[u8]) -> Result<Report, DiffscanError> {
    let envelope: diffscan_engine::attest::Envelope = serde_json::from_slice(artifact)
        .map_err(|e| anyhow::anyhow!("a stored artifact is not an envelope: {e}"))?;
    let payload = envelope
        .decoded_payload()
        .ok_or_else(|| anyhow::anyhow!("a stored artifact's payload is not base64"))?;
    let statement: Statement = serde_json::from_slice(&payload)
        .map_err(|e| anyhow::anyhow!("a stored artifact's payload is not a statement: {e}"))?;
    Ok(statement.predicate)
}

impl Diffscan {
    #[tracing::instrument(skip(self, principal))]
    pub async fn scan(
        &self,
        principal: &Principal,
        id: ScanId,
    ) -> Result<ScanRecord, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let scan = store::scans::get(&mut tx, id, false).await?;
        tx.commit().await?;
        scan.ok_or(DiffscanError::NotFound("scan"))
    }

    /// A page of the tenant's scans, newest first.
    #[tracing::instrument(skip(self, principal))]
    pub async fn list_scans(
        &self,
        principal: &Principal,
        filter: &ScanFilter,
        page: &PageRequest,
    ) -> Result<Page<ScanRecord>, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let before: Option<ScanId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::scans::list(&mut tx, filter, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |scan| scan.id))
    }

    /// A page of a scan's findings, in report order.
    #[tracing::instrument(skip(self, principal))]
    pub async fn findings(
        &self,
        principal: &Principal,
        id: ScanId,
        filter: &FindingFilter,
        page: &PageRequest,
    ) -> Result<Page<FindingRecord>, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let after: Option<i32> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        if store::scans::get(&mut tx, id, false).await?.is_none() {
            return Err(DiffscanError::NotFound("scan"));
        }
        let rows = store::findings::list(&mut tx, id, filter, after, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |finding| finding.ordinal))
    }

    /// The signed result of a finished scan: a DSSE envelope of an in-toto statement.
    #[tracing::instrument(skip(self, principal))]
    pub async fn artifact(
        &self,
        principal: &Principal,
        id: ScanId,
    ) -> Result<Envelope, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let scan =
            store::scans::get(&mut tx, id, false).await?.ok_or(DiffscanError::NotFound("scan"))?;
        let artifact = store::scans::artifact(&mut tx, id).await?;
        tx.commit().await?;
        artifact.ok_or_else(|| not_complete(&scan))
    }

    /// The scan's result as one self-contained HTML page.
    pub async fn report_html(
        &self,
        principal: &Principal,
        id: ScanId,
    ) -> Result<String, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let artifact = self.artifact(principal, id).await?;
        Ok(diffscan_engine::render::html(&report_of(&artifact)?))
    }

    /// The scan's result as SARIF 2.1.0 (for code-scanning services).
    pub async fn report_sarif(
        &self,
        principal: &Principal,
        id: ScanId,
    ) -> Result<Value, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let artifact = self.artifact(principal, id).await?;
        Ok(diffscan_engine::render::sarif(&report_of(&artifact)?))
    }

    /// The raw diff of a scan, while retention keeps it.
    #[tracing::instrument(skip(self, principal))]
    pub async fn raw_diff(
        &self,
        principal: &Principal,
        id: ScanId,
    ) -> Result<Bytes, DiffscanError> {
        principal.require(Permission::DIFFSCAN_RUN)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let scan =
            store::scans::get(&mut tx, id, false).await?.ok_or(DiffscanError::NotFound("scan"))?;
        let key = store::scans::diff_key(&mut tx, id).await?;
        tx.commit().await?;
        if let Some(at) = scan.diff.deleted_at {
            return Err(DiffscanError::DiffPurged(at));
        }
        let key = key.and_then(|key| ObjectKey::parse(&key)).ok_or_else(|| {
            DiffscanError::NotComplete("the pull request's diff has not been fetched yet".into())
        })?;
        self.objects().get(&key).await?.ok_or_else(|| {
            anyhow::anyhow!("the raw diff of scan {id} is missing from the object store").into()
        })
    }

    /// Purges a scan's raw diff now (a secret was pasted, say), leaving the deletion marker.
    /// Purging a purged diff again changes nothing.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn purge_diff(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: ScanId,
    ) -> Result<(), DiffscanError> {
        principal.require(Permission::DIFFSCAN_RUN)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let scan =
            store::scans::get(&mut tx, id, true).await?.ok_or(DiffscanError::NotFound("scan"))?;
        if scan.diff.deleted_at.is_some() {
            return Ok(());
        }
        if let Some(key) =
            store::scans::diff_key(&mut tx, id).await?.and_then(|k| ObjectKey::parse(&k))
        {
            objects::purge(self.objects(), &key, &marker(&scan, "request")).await?;
        }
        store::scans::mark_purged(&mut tx, id, "request").await?;
        let summary =
            json!({"name": scan.name, "diff_sha256": scan.diff.sha256, "reason": "request"});
        let entry = principal.audit(
            context,
            "diffscan.scan.purge_diff",
            "diffscan_scan",
            Some(id.to_string()),
            summary,
        );
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The keys that verify this installation's artifacts (`palisade diffscan verify-artifact`).
    pub async fn signing_keys(
        &self,
        principal: &Principal,
    ) -> Result<Vec<SigningKeyInfo>, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let signer = self.signer().await?;
        let key = signer.verification_key();
        let public = key.ed25519_public_key();
        Ok(vec![SigningKeyInfo {
            key_id: signer.key_id().to_string(),
            algorithm: if public.is_some() { "ed25519" } else { "hmac-sha256" },
            public_key: public.map(|k| base64::engine::general_purpose::STANDARD.encode(k)),
            development: signer.is_development(),
        }])
    }
}

/// What a deletion marker object says.
pub(crate) fn marker(scan: &ScanRecord, reason: &str) -> Value {
    json!({
        "scan_id": scan.id,
        "deleted_at": Utc::now().to_rfc3339(),
        "reason": reason,
        "diff_sha256": scan.diff.sha256,
        "diff_bytes": scan.diff.bytes,
    })
}

fn not_complete(scan: &ScanRecord) -> DiffscanError {
    match (&scan.error, scan.status.is_final()) {
        (Some(error), true) => {
            DiffscanError::NotComplete(format!("the scan failed and has no signed result: {error}"))
        }
        _ => DiffscanError::NotComplete(format!(
            "the scan is {}; its result is not ready yet",
            scan.status.as_str()
        )),
    }
}
