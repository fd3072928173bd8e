//! Detection rules: create (refused with the parser's message and line when the YAML does not
//! compile), list, show, change, enable and disable, delete, and test a rule against sample
//! events without storing anything. Each server keeps every tenant's enabled rules compiled,
//! rebuilt when the tenant's rule-set version (bumped in the transaction of every change)
//! moves, so a change anywhere reaches every server's next ingest.

use super::Alerts;
use crate::error::AlertsError;
use crate::model::rule::{MAX_EXCEPTIONS, MAX_RULES, MAX_YAML_BYTES};
use crate::model::{DetectionRule, DetectionRuleId};
use crate::store::{self, rules::Values};
use detect::sigma::{EventVerdict, RuleSet, SigmaException, SigmaRule, testing};
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::{FieldCode, Invalid, Page, PageRequest, TenantTx};
use serde_json::{Value, json};
use std::sync::Arc;

/// Sample events one rule test may carry.
pub const MAX_TEST_EVENTS: usize = 1_000;

/// A tenant's enabled rules, compiled, and the version they were built from.
#[derive(Debug, Default)]
pub struct CompiledRules {
    pub version: i64,
    pub set: RuleSet,
    /// The id of each rule of `set`, by position.
    pub ids: Vec<DetectionRuleId>,
}

/// A rule to create, or the changes to one (absent fields stay as they are).
#[derive(Clone, Debug, Default)]
pub struct RuleInput {
    pub yaml: Option<String>,
    pub enabled: Option<bool>,
    pub exceptions: Option<Vec<Value>>,
}

/// A rule's YAML and exceptions, checked and compiled.
fn compile(yaml: &str, exceptions: &[Value]) -> Result<SigmaRule, Invalid> {
    if yaml.trim().is_empty() {
        return Err(Invalid::new("yaml", FieldCode::REQUIRED, "the rule's YAML is required"));
    }
    if yaml.len() > MAX_YAML_BYTES {
        return Err(Invalid::new("yaml", FieldCode::TOO_LARGE, "at most 64 KiB"));
    }
    if yaml.contains('\0') {
        return Err(Invalid::new("yaml", FieldCode::INVALID_TEXT, "must not contain NUL"));
    }
    if exceptions.len() > MAX_EXCEPTIONS {
        return Err(Invalid::new(
            "exceptions",
            FieldCode::TOO_MANY,
            format!("at most {MAX_EXCEPTIONS} exceptions"),
        ));
    }
    let rule = SigmaRule::parse(yaml)
        .map_err(|error| Invalid::new("yaml", FieldCode::INVALID_RULE, error.to_string()))?;
    let mut compiled = Vec::new();
    for (index, exception) in exceptions.iter().enumerate() {
        compiled.push(SigmaException::parse(exception).map_err(|error| {
            Invalid::new(
                format!("exceptions[{index}]"),
                FieldCode::INVALID_EXCEPTION,
                error.message,
            )
        })?);
    }
    Ok(rule.with_exceptions(compiled))
}

fn values<'a>(
    rule: &'a SigmaRule,
    yaml: &'a str,
    enabled: bool,
    tags: &'a [String],
    exceptions: &'a [Value],
) -> Values<'a> {
    Values {
        title: rule.title(),
        sigma_id: rule.id(),
        yaml,
        enabled,
        level: rule.level(),
        tags,
        exceptions,
    }
}

impl Alerts {
    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn create_rule(
        &self,
        context: &RequestContext,
        principal: &Principal,
        input: &RuleInput,
    ) -> Result<DetectionRule, AlertsError> {
        principal.require(Permission::RULES_MANAGE)?;
        let yaml = input.yaml.as_deref().unwrap_or_default();
        let exceptions = input.exceptions.clone().unwrap_or_default();
        let compiled = compile(yaml, &exceptions)?;
        let tags = compiled.tags().to_vec();
        let values = values(&compiled, yaml, input.enabled.unwrap_or(true), &tags, &exceptions);
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        if store::rules::count(&mut tx).await? >= MAX_RULES {
            return Err(AlertsError::Conflict(format!(
                "a tenant can have at most {MAX_RULES} detection rules; delete one first"
            )));
        }
        let id = DetectionRuleId::generate();
        let rule =
            store::rules::insert(&mut tx, id, &values, principal.user.map(|u| u.as_uuid())).await?;
        store::settings::bump_rules_version(&mut tx).await?;
        record(&mut tx, context, principal, "detection_rule.create", &rule).await?;
        tx.commit().await?;
        Ok(rule)
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn list_rules(
        &self,
        principal: &Principal,
        enabled: Option<bool>,
        page: &PageRequest,
    ) -> Result<Page<DetectionRule>, AlertsError> {
        principal.require(Permission::ALERTS_VIEW)?;
        let before: Option<DetectionRuleId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::rules::list(&mut tx, before, enabled, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |rule| rule.id))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn rule(
        &self,
        principal: &Principal,
        id: DetectionRuleId,
    ) -> Result<DetectionRule, AlertsError> {
        principal.require(Permission::ALERTS_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rule = store::rules::get(&mut tx, id, false).await?;
        tx.commit().await?;
        rule.ok_or(AlertsError::NotFound("detection rule"))
    }

    /// Changes a rule: its YAML, whether it is enabled, its exceptions.
    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn update_rule(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: DetectionRuleId,
        input: &RuleInput,
    ) -> Result<DetectionRule, AlertsError> {
        principal.require(Permission::RULES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let current = store::rules::get(&mut tx, id, true)
            .await?
            .ok_or(AlertsError::NotFound("detection rule"))?;
        let yaml = input.yaml.clone().unwrap_or(current.yaml);
        let exceptions = input.exceptions.clone().unwrap_or(current.exceptions);
        let compiled = compile(&yaml, &exceptions)?;
        let tags = compiled.tags().to_vec();
        let enabled = input.enabled.unwrap_or(current.enabled);
        let values = values(&compiled, &yaml, enabled, &tags, &exceptions);
        let rule = store::rules::update(&mut tx, id, &values)
            .await?
            .ok_or(AlertsError::NotFound("detection rule"))?;
        store::settings::bump_rules_version(&mut tx).await?;
        record(&mut tx, context, principal, "detection_rule.update", &rule).await?;
        tx.commit().await?;
        Ok(rule)
    }

    /// Enables or disables a rule.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn set_rule_enabled(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: DetectionRuleId,
        enabled: bool,
    ) -> Result<DetectionRule, AlertsError> {
        principal.require(Permission::RULES_MANAGE)?;
        let input = RuleInput { enabled: Some(enabled), ..RuleInput::default() };
        self.update_rule(context, principal, id, &input).await
    }

    #[tracing::instrument(skip(self, context, principal))]
    pub async fn delete_rule(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: DetectionRuleId,
    ) -> Result<(), AlertsError> {
        principal.require(Permission::RULES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rule = store::rules::delete(&mut tx, id)
            .await?
            .ok_or(AlertsError::NotFound("detection rule"))?;
        store::settings::bump_rules_version(&mut tx).await?;
        record(&mut tx, context, principal, "detection_rule.delete", &rule).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Which sample events the rule (with its exceptions) matches, per selection. Nothing is
    /// stored.
    #[tracing::instrument(skip(self, principal, yaml, events, exceptions))]
    pub async fn test_rule(
        &self,
        principal: &Principal,
        yaml: &str,
        exceptions: &[Value],
        events: &[Value],
    ) -> Result<Vec<EventVerdict>, AlertsError> {
        principal.require(Permission::RULES_MANAGE)?;
        if events.is_empty() || events.len() > MAX_TEST_EVENTS {
            return Err(AlertsError::invalid(
                "events",
                FieldCode::OUT_OF_RANGE,
                format!("1 to {MAX_TEST_EVENTS} sample events"),
            ));
        }
        let rule = compile(yaml, exceptions)?;
        Ok(events
            .iter()
            .enumerate()
            .map(|(index, event)| match event.is_object() {
                true => testing::test_event(&rule, index + 1, event),
                false => EventVerdict {
                    line: index + 1,
                    matched: false,
                    selections: Default::default(),
                    skipped: None,
                    excepted_by: None,
                    error: Some("the event is not a JSON object".into()),
                },
            })
            .collect())
    }

    /// The tenant's enabled rules compiled at `version`, from this server's cache when it is
    /// current (read inside the caller's transaction).
    pub(crate) async fn compiled_rules(
        &self,
        tx: &mut TenantTx,
        version: i64,
    ) -> Result<Arc<CompiledRules>, AlertsError> {
        let tenant = tx.tenant();
        let cached =
            self.inner.rules.lock().unwrap_or_else(|e| e.into_inner()).get(&tenant).cloned();
        if let Some(cached) = cached.filter(|c| c.version == version) {
            return Ok(cached);
        }
        let rows = store::rules::enabled(tx).await?;
        let mut rules = Vec::with_capacity(rows.len());
        let mut ids = Vec::with_capacity(rows.len());
        for row in rows {
            match compile(&row.yaml, &row.exceptions) {
                Ok(rule) => {
                    rules.push(rule);
                    ids.push(row.id);
                }
                // Stored rules compiled when they were saved; one that no longer does (an engine
                // upgrade) must not stop ingestion.
                Err(error) => {
                    tracing::warn!(rule = %row.id, %error, "skipping a rule that no longer compiles")
                }
            }
        }
        let compiled = Arc::new(CompiledRules { version, set: RuleSet::new(rules), ids });
        self.inner.rules.lock().unwrap_or_else(|e| e.into_inner()).insert(tenant, compiled.clone());
        Ok(compiled)
    }
}

async fn record(
    tx: &mut TenantTx,
    context: &RequestContext,
    principal: &Principal,
    action: &str,
    rule: &DetectionRule,
) -> Result<(), AlertsError> {
    let summary = json!({
        "title": rule.title, "sigma_id": rule.sigma_id, "enabled": rule.enabled,
        "exceptions": rule.exceptions.len(),
    });
    let entry =
        principal.audit(context, action, "detection_rule", Some(rule.id.to_string()), summary);
    audit::record(tx, &entry).await?;
    Ok(())
}
