//! Managing baselines: named sets of accepted findings by fingerprint, filled from given entries
//! or from a scan's open findings, and emptied entry by entry. A scan that names a baseline (or
//! whose repository does) marks findings in it `baselined`: they no longer block.

use super::Diffscan;
use super::input::{self, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS};
use crate::error::DiffscanError;
use crate::model::{BaselineEntry, BaselineId, BaselineRecord, ScanId};
use crate::store;
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::{FieldCode, Page, PageRequest, TenantTx};
use serde_json::json;

pub const MAX_BASELINES: i64 = 200;
/// Entries one request may add or remove.
pub const MAX_ENTRIES_PER_REQUEST: usize = 10_000;
/// Entries one baseline may hold.
pub const MAX_ENTRIES: i64 = 100_000;

/// A baseline to create, or the changes to one.
#[derive(Clone, Debug, Default)]
pub struct BaselineInput {
    pub name: Option<String>,
    pub description: Option<String>,
    /// Entries to add: `(fingerprint, rule, path)`.
    pub add: Vec<(String, String, Option<String>)>,
    /// Accepts every open finding of this scan.
    pub add_from_scan: Option<ScanId>,
    /// Fingerprints to remove.
    pub remove: Vec<String>,
}

impl Diffscan {
    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn create_baseline(
        &self,
        context: &RequestContext,
        principal: &Principal,
        input: &BaselineInput,
    ) -> Result<BaselineRecord, DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let name = input::name(
            "name",
            input.name.as_deref().ok_or_else(|| {
                DiffscanError::invalid("name", FieldCode::REQUIRED, "is required")
            })?,
            MAX_NAME_CHARS,
        )?;
        let description = input::text(
            "description",
            input.description.as_deref().unwrap_or(""),
            MAX_DESCRIPTION_CHARS,
        )?;
        let entries = entries(&input.add)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        if store::baselines::count(&mut tx).await? >= MAX_BASELINES {
            return Err(DiffscanError::Conflict(format!(
                "a tenant can have at most {MAX_BASELINES} baselines; delete one first"
            )));
        }
        let id = BaselineId::generate();
        store::baselines::insert(&mut tx, id, &name, &description).await?;
        let added = self.fill(&mut tx, id, &entries, input.add_from_scan).await?;
        let baseline = store::baselines::get(&mut tx, id, false)
            .await?
            .ok_or_else(|| anyhow::anyhow!("a baseline vanished in its own transaction"))?;
        record(&mut tx, context, principal, "diffscan.baseline.create", &baseline, added, 0)
            .await?;
        tx.commit().await?;
        Ok(baseline)
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn list_baselines(
        &self,
        principal: &Principal,
        page: &PageRequest,
    ) -> Result<Page<BaselineRecord>, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let before: Option<BaselineId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::baselines::list(&mut tx, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |baseline| baseline.id))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn baseline(
        &self,
        principal: &Principal,
        id: BaselineId,
    ) -> Result<BaselineRecord, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let baseline = store::baselines::get(&mut tx, id, false).await?;
        tx.commit().await?;
        baseline.ok_or(DiffscanError::NotFound("baseline"))
    }

    /// A page of a baseline's entries, by fingerprint.
    #[tracing::instrument(skip(self, principal))]
    pub async fn baseline_entries(
        &self,
        principal: &Principal,
        id: BaselineId,
        page: &PageRequest,
    ) -> Result<Page<BaselineEntry>, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let after: Option<String> = page.after()?;
        if let Some(after) = &after {
            input::fingerprint("cursor", after).map_err(|_| platform::PageError::Cursor)?;
        }
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        if store::baselines::get(&mut tx, id, false).await?.is_none() {
            return Err(DiffscanError::NotFound("baseline"));
        }
        let rows = store::baselines::entries(&mut tx, id, after.as_deref(), page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |entry| entry.fingerprint.clone()))
    }

    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn update_baseline(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: BaselineId,
        input: &BaselineInput,
    ) -> Result<BaselineRecord, DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let entries = entries(&input.add)?;
        if input.remove.len() > MAX_ENTRIES_PER_REQUEST {
            return Err(DiffscanError::invalid(
                "remove",
                FieldCode::TOO_MANY,
                "at most 10000 at once",
            ));
        }
        let remove = input
            .remove
            .iter()
            .map(|f| input::fingerprint("remove", f))
            .collect::<Result<Vec<_>, _>>()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let current = store::baselines::get(&mut tx, id, true)
            .await?
            .ok_or(DiffscanError::NotFound("baseline"))?;
        let name = match &input.name {
            Some(name) => input::name("name", name, MAX_NAME_CHARS)?,
            None => current.name.clone(),
        };
        let description = match &input.description {
            Some(text) => input::text("description", text, MAX_DESCRIPTION_CHARS)?,
            None => current.description.clone(),
        };
        store::baselines::update(&mut tx, id, &name, &description).await?;
        let removed = store::baselines::remove_entries(&mut tx, id, &remove).await?;
        let added = self.fill(&mut tx, id, &entries, input.add_from_scan).await?;
        let baseline = store::baselines::get(&mut tx, id, false)
            .await?
            .ok_or(DiffscanError::NotFound("baseline"))?;
        record(&mut tx, context, principal, "diffscan.baseline.update", &baseline, added, removed)
            .await?;
        tx.commit().await?;
        Ok(baseline)
    }

    #[tracing::instrument(skip(self, context, principal))]
    pub async fn delete_baseline(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: BaselineId,
    ) -> Result<(), DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let baseline = store::baselines::get(&mut tx, id, true)
            .await?
            .ok_or(DiffscanError::NotFound("baseline"))?;
        store::baselines::delete(&mut tx, id).await?;
        record(&mut tx, context, principal, "diffscan.baseline.delete", &baseline, 0, 0).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds `entries` and, with `from_scan`, the scan's open findings; returns how many were new.
    async fn fill(
        &self,
        tx: &mut TenantTx,
        id: BaselineId,
        entries: &[BaselineEntry],
        from_scan: Option<ScanId>,
    ) -> Result<u64, DiffscanError> {
        let mut added = store::baselines::add_entries(tx, id, entries).await?;
        if let Some(scan) = from_scan {
            let found = store::scans::get(tx, scan, false).await?.ok_or_else(|| {
                DiffscanError::invalid(
                    "add_from_scan",
                    FieldCode::UNKNOWN_REFERENCE,
                    "no such scan in this tenant",
                )
            })?;
            if !found.status.is_final() {
                return Err(DiffscanError::NotComplete("the scan has no findings yet".into()));
            }
            let accepted: Vec<BaselineEntry> = store::findings::acceptable(tx, scan, MAX_ENTRIES)
                .await?
                .into_iter()
                .map(|(fingerprint, rule, path)| BaselineEntry { fingerprint, rule, path })
                .collect();
            added += store::baselines::add_entries(tx, id, &accepted).await?;
        }
        let total = store::baselines::get(tx, id, false).await?.map_or(0, |b| b.entries);
        if total > MAX_ENTRIES {
            return Err(DiffscanError::Conflict(format!(
                "a baseline can hold at most {MAX_ENTRIES} entries"
            )));
        }
        Ok(added)
    }
}

fn entries(add: &[(String, String, Option<String>)]) -> Result<Vec<BaselineEntry>, DiffscanError> {
    if add.len() > MAX_ENTRIES_PER_REQUEST {
        return Err(DiffscanError::invalid(
            "entries",
            FieldCode::TOO_MANY,
            "at most 10000 at once",
        ));
    }
    add.iter()
        .map(|(fingerprint, rule, path)| {
            Ok(BaselineEntry {
                fingerprint: input::fingerprint("entries[].fingerprint", fingerprint)?,
                rule: input::name("entries[].rule", rule, 200)?,
                path: path
                    .as_deref()
                    .map(|p| input::name("entries[].path", p, 4096))
                    .transpose()?,
            })
        })
        .collect()
}

async fn record(
    tx: &mut TenantTx,
    context: &RequestContext,
    principal: &Principal,
    action: &str,
    baseline: &BaselineRecord,
    added: u64,
    removed: u64,
) -> Result<(), DiffscanError> {
    let summary = json!({
        "name": baseline.name,
        "entries": baseline.entries,
        "added": added,
        "removed": removed,
    });
    let entry = principal.audit(
        context,
        action,
        "diffscan_baseline",
        Some(baseline.id.to_string()),
        summary,
    );
    audit::record(tx, &entry).await?;
    Ok(())
}
