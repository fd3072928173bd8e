//! Managing a tenant's rule packs: the built-in pack's YAML format, validated by the engine
//! before anything is stored (every regex and glob compiles, every field checks, every rule's
//! positive and negative examples behave), refused with the line of each problem, and refused
//! when a rule id collides with the built-in pack or another enabled pack of the tenant.

use super::Diffscan;
use super::engines::origin;
use crate::error::DiffscanError;
use crate::model::{RulePackId, RulePackRecord};
use crate::store::{self, rule_packs::PackValues};
use diffscan_engine::{Engine, EngineError, RulePack, parse_pack, validate_pack};
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::{FieldCode, Invalid, Page, PageRequest, TenantTx};
use serde_json::json;

pub const MAX_PACKS: i64 = 50;
const MAX_SOURCE_BYTES: usize = 2 << 20;

/// A pack to create, or the changes to one.
#[derive(Clone, Debug, Default)]
pub struct RulePackInput {
    /// The pack's YAML. Required on creation.
    pub source: Option<String>,
    pub enabled: Option<bool>,
}

/// A pack's problems as field errors on `source`, each naming its line.
fn pack_errors(error: &diffscan_engine::PackError) -> DiffscanError {
    let invalid: Vec<Invalid> = error
        .issues()
        .into_iter()
        .take(100)
        .map(|issue| {
            let rule = issue.rule.map(|rule| format!(" (rule {rule})")).unwrap_or_default();
            Invalid::new(
                "source",
                FieldCode::INVALID_RULE_PACK,
                format!("line {}{rule}: {}", issue.line, issue.message),
            )
        })
        .collect();
    match invalid.len() {
        1 => invalid
            .into_iter()
            .next()
            .map(DiffscanError::Invalid)
            .unwrap_or(DiffscanError::InvalidMany(Vec::new())),
        _ => DiffscanError::InvalidMany(invalid),
    }
}

impl Diffscan {
    /// Validates `source` as a pack named in the errors by its own name, off the async threads.
    async fn validated(&self, source: String) -> Result<RulePack, DiffscanError> {
        if source.len() > MAX_SOURCE_BYTES {
            return Err(DiffscanError::invalid("source", FieldCode::TOO_LARGE, "at most 2 MiB"));
        }
        tokio::task::spawn_blocking(move || validate_pack(&source, "pack"))
            .await
            .map_err(|e| anyhow::anyhow!("validating a rule pack ended abnormally: {e}"))?
            .map_err(|e| pack_errors(&e))
    }

    /// Refuses `pack` when its rule ids collide with the built-in pack or the tenant's other
    /// enabled packs.
    async fn check_collisions(
        &self,
        tx: &mut TenantTx,
        pack: &RulePack,
        replacing: Option<RulePackId>,
    ) -> Result<(), DiffscanError> {
        let others: Vec<RulePackRecord> = store::rule_packs::enabled(tx)
            .await?
            .into_iter()
            .filter(|other| Some(other.id) != replacing)
            .collect();
        let pack = pack.clone();
        tokio::task::spawn_blocking(move || {
            let mut packs = others
                .iter()
                .map(|other| {
                    parse_pack(other.source.as_deref().unwrap_or_default(), &origin(&other.name))
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| {
                    DiffscanError::Unexpected(anyhow::anyhow!(
                        "a stored pack no longer parses: {e}"
                    ))
                })?;
            packs.push(pack);
            match Engine::with_packs(packs) {
                Ok(_) => Ok(()),
                Err(EngineError::RuleSet(error)) => {
                    Err(DiffscanError::RuleIdTaken(error.to_string()))
                }
                Err(EngineError::Pack(error)) => Err(pack_errors(&error)),
            }
        })
        .await
        .map_err(|e| anyhow::anyhow!("checking a rule pack ended abnormally: {e}"))?
    }

    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn create_rule_pack(
        &self,
        context: &RequestContext,
        principal: &Principal,
        input: &RulePackInput,
    ) -> Result<RulePackRecord, DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let source = input
            .source
            .clone()
            .ok_or_else(|| DiffscanError::invalid("source", FieldCode::REQUIRED, "is required"))?;
        let pack = self.validated(source.clone()).await?;
        let enabled = input.enabled.unwrap_or(true);
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        if store::rule_packs::count(&mut tx).await? >= MAX_PACKS {
            return Err(DiffscanError::Conflict(format!(
                "a tenant can have at most {MAX_PACKS} rule packs; delete one first"
            )));
        }
        if enabled {
            self.check_collisions(&mut tx, &pack, None).await?;
        }
        let rule_ids: Vec<String> = pack.rules().iter().map(|r| r.id().to_string()).collect();
        let values = values_of(&pack, &source, &rule_ids, enabled)?;
        let record = store::rule_packs::insert(&mut tx, RulePackId::generate(), &values).await?;
        audit_pack(&mut tx, context, principal, "diffscan.rule_pack.create", &record).await?;
        tx.commit().await?;
        Ok(record)
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn list_rule_packs(
        &self,
        principal: &Principal,
        page: &PageRequest,
    ) -> Result<Page<RulePackRecord>, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let before: Option<RulePackId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::rule_packs::list(&mut tx, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |pack| pack.id))
    }

    /// One pack, with its source.
    #[tracing::instrument(skip(self, principal))]
    pub async fn rule_pack(
        &self,
        principal: &Principal,
        id: RulePackId,
    ) -> Result<RulePackRecord, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let pack = store::rule_packs::get(&mut tx, id, false).await?;
        tx.commit().await?;
        pack.ok_or(DiffscanError::NotFound("rule pack"))
    }

    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn update_rule_pack(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: RulePackId,
        input: &RulePackInput,
    ) -> Result<RulePackRecord, DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let new_source = match &input.source {
            Some(source) => Some((self.validated(source.clone()).await?, source.clone())),
            None => None,
        };
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let current = store::rule_packs::get(&mut tx, id, true)
            .await?
            .ok_or(DiffscanError::NotFound("rule pack"))?;
        let (pack, source) = match new_source {
            Some(found) => found,
            None => {
                let source = current.source.clone().unwrap_or_default();
                let pack = parse_pack(&source, "pack").map_err(|e| pack_errors(&e))?;
                (pack, source)
            }
        };
        let enabled = input.enabled.unwrap_or(current.enabled);
        if enabled {
            self.check_collisions(&mut tx, &pack, Some(id)).await?;
        }
        let rule_ids: Vec<String> = pack.rules().iter().map(|r| r.id().to_string()).collect();
        let values = values_of(&pack, &source, &rule_ids, enabled)?;
        let record = store::rule_packs::update(&mut tx, id, &values).await?;
        audit_pack(&mut tx, context, principal, "diffscan.rule_pack.update", &record).await?;
        tx.commit().await?;
        Ok(record)
    }

    #[tracing::instrument(skip(self, context, principal))]
    pub async fn delete_rule_pack(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: RulePackId,
    ) -> Result<(), DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let record = store::rule_packs::delete(&mut tx, id)
            .await?
            .ok_or(DiffscanError::NotFound("rule pack"))?;
        audit_pack(&mut tx, context, principal, "diffscan.rule_pack.delete", &record).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn values_of<'a>(
    pack: &'a RulePack,
    source: &'a str,
    rule_ids: &'a [String],
    enabled: bool,
) -> Result<PackValues<'a>, DiffscanError> {
    let name = pack.name();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(DiffscanError::invalid(
            "source",
            FieldCode::INVALID_RULE_PACK,
            "line 1: the pack's name must be 1 to 100 characters",
        ));
    }
    Ok(PackValues {
        name,
        version: i32::try_from(pack.version()).unwrap_or(i32::MAX),
        description: pack.description(),
        source,
        digest: pack.digest(),
        rule_ids,
        enabled,
    })
}

async fn audit_pack(
    tx: &mut TenantTx,
    context: &RequestContext,
    principal: &Principal,
    action: &str,
    pack: &RulePackRecord,
) -> Result<(), DiffscanError> {
    let summary = json!({
        "name": pack.name,
        "version": pack.version,
        "digest": pack.digest,
        "rules": pack.rule_ids,
        "enabled": pack.enabled,
    });
    let entry =
        principal.audit(context, action, "diffscan_rule_pack", Some(pack.id.to_string()), summary);
    audit::record(tx, &entry).await?;
    Ok(())
}
