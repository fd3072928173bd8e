//! Correlation rules (create, list, show, change, delete), the groups they form (list, show),
//! and the correlation pass the `alerts.correlate` job runs over newly created alerts: each
//! enabled rule's engine state is loaded, fed the alerts in creation order, its touched groups
//! written, incident candidates announced as `incident.candidate`, and the state saved, all in
//! one transaction per batch. The rules are locked for it, so passes of one tenant never
//! interleave.

use super::events::{INCIDENT_CANDIDATE, outbox_severity};
use super::{Acting, Alerts};
use crate::error::AlertsError;
use crate::model::correlation::{link_word, parse_link};
use crate::model::{
    AlertId, CorrelationGroup, CorrelationGroupId, CorrelationRule, CorrelationRuleId,
};
use crate::store::{self, correlation::rule_values};
use chrono::{DateTime, TimeDelta, Utc};
use detect::correlation::{AlertFacts, LinkKind};
use detect::{Severity, SourceKind};
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::outbox::{self, Event};
use platform::{FieldCode, Invalid, Page, PageRequest, TenantId, TenantTx};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// Correlation rules one tenant may keep.
pub const MAX_CORRELATION_RULES: i64 = 100;

/// A correlation rule to create, or the changes to one.
#[derive(Clone, Debug, Default)]
pub struct CorrelationInput {
    pub name: Option<String>,
    pub enabled: Option<bool>,
    pub link_by: Option<Vec<String>>,
    pub window_secs: Option<i64>,
    pub threshold: Option<i64>,
    pub min_severity: Option<String>,
}

/// The group list's filter.
#[derive(Clone, Copy, Debug, Default)]
pub struct GroupFilter {
    pub rule_id: Option<CorrelationRuleId>,
    pub candidates_only: bool,
}

fn apply(input: &CorrelationInput, rule: &mut CorrelationRule) -> Result<(), Invalid> {
    if let Some(name) = &input.name {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.contains('\0') {
            return Err(Invalid::new("name", FieldCode::INVALID_NAME, "1 to 100 characters"));
        }
        rule.name = name.to_string();
    }
    if let Some(enabled) = input.enabled {
        rule.enabled = enabled;
    }
    if let Some(words) = &input.link_by {
        let mut kinds: Vec<LinkKind> = Vec::new();
        for (index, word) in words.iter().enumerate() {
            let kind = parse_link(word).ok_or_else(|| {
                Invalid::new(
                    format!("link_by[{index}]"),
                    FieldCode::INVALID_LINK,
                    "host, user, technique or an observable type (ip, domain, file_hash …)",
                )
            })?;
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        if kinds.is_empty() || kinds.len() > 16 {
            return Err(Invalid::new("link_by", FieldCode::OUT_OF_RANGE, "1 to 16 link kinds"));
        }
        rule.link_by = kinds;
    }
    if let Some(secs) = input.window_secs {
        if !(60..=604_800).contains(&secs) {
            return Err(Invalid::new(
                "window_secs",
                FieldCode::OUT_OF_RANGE,
                "60 seconds to 7 days (604800)",
            ));
        }
        rule.window = TimeDelta::seconds(secs);
    }
    if let Some(threshold) = input.threshold {
        rule.threshold =
            usize::try_from(threshold).ok().filter(|t| (2..=10_000).contains(t)).ok_or_else(
                || Invalid::new("threshold", FieldCode::OUT_OF_RANGE, "2 to 10000 alerts"),
            )?;
    }
    if let Some(word) = &input.min_severity {
        rule.min_severity = Severity::parse(word).ok_or_else(|| {
            Invalid::new("min_severity", FieldCode::INVALID_SEVERITY, "a severity word")
        })?;
    }
    Ok(())
}

impl Alerts {
    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn create_correlation_rule(
        &self,
        context: &RequestContext,
        principal: &Principal,
        input: &CorrelationInput,
    ) -> Result<CorrelationRule, AlertsError> {
        principal.require(Permission::RULES_MANAGE)?;
        if input.name.is_none() {
            return Err(AlertsError::invalid("name", FieldCode::REQUIRED, "a name is required"));
        }
        let defaults = detect::correlation::CorrelationConfig::default();
        let mut rule = CorrelationRule {
            id: CorrelationRuleId::generate(),
            name: String::new(),
            enabled: true,
            link_by: defaults.link_by,
            window: defaults.window,
            threshold: defaults.threshold,
            min_severity: Severity::Unknown,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        apply(input, &mut rule)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        if store::correlation::count_rules(&mut tx).await? >= MAX_CORRELATION_RULES {
            return Err(AlertsError::Conflict(format!(
                "a tenant can have at most {MAX_CORRELATION_RULES} correlation rules"
            )));
        }
        let rule = store::correlation::insert_rule(&mut tx, rule.id, &rule_values(&rule)).await?;
        record(&mut tx, context, principal, "correlation_rule.create", &rule).await?;
        tx.commit().await?;
        Ok(rule)
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn list_correlation_rules(
        &self,
        principal: &Principal,
        page: &PageRequest,
    ) -> Result<Page<CorrelationRule>, AlertsError> {
        principal.require(Permission::ALERTS_VIEW)?;
        let before: Option<CorrelationRuleId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::correlation::list_rules(&mut tx, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |rule| rule.id))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn correlation_rule(
        &self,
        principal: &Principal,
        id: CorrelationRuleId,
    ) -> Result<CorrelationRule, AlertsError> {
        principal.require(Permission::ALERTS_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rule = store::correlation::get_rule(&mut tx, id, false).await?;
        tx.commit().await?;
        rule.ok_or(AlertsError::NotFound("correlation rule"))
    }

    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn update_correlation_rule(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: CorrelationRuleId,
        input: &CorrelationInput,
    ) -> Result<CorrelationRule, AlertsError> {
        principal.require(Permission::RULES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let mut rule = store::correlation::get_rule(&mut tx, id, true)
            .await?
            .ok_or(AlertsError::NotFound("correlation rule"))?;
        apply(input, &mut rule)?;
        let rule = store::correlation::update_rule(&mut tx, id, &rule_values(&rule))
            .await?
            .ok_or(AlertsError::NotFound("correlation rule"))?;
        record(&mut tx, context, principal, "correlation_rule.update", &rule).await?;
        tx.commit().await?;
        Ok(rule)
    }

    /// Deletes a rule with its state and groups (the alerts stay).
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn delete_correlation_rule(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: CorrelationRuleId,
    ) -> Result<(), AlertsError> {
        principal.require(Permission::RULES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rule = store::correlation::delete_rule(&mut tx, id)
            .await?
            .ok_or(AlertsError::NotFound("correlation rule"))?;
        record(&mut tx, context, principal, "correlation_rule.delete", &rule).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A page of correlation groups, the most recently grown first.
    #[tracing::instrument(skip(self, principal))]
    pub async fn list_correlation_groups(
        &self,
        principal: &Principal,
        filter: GroupFilter,
        page: &PageRequest,
    ) -> Result<Page<CorrelationGroup>, AlertsError> {
        principal.require(Permission::ALERTS_VIEW)?;
        let after: Option<(DateTime<Utc>, CorrelationGroupId)> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::correlation::list_groups(
            &mut tx,
            after,
            filter.rule_id,
            filter.candidates_only,
            page.fetch(),
        )
        .await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |group| (group.updated_at, group.id)))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn correlation_group(
        &self,
        principal: &Principal,
        id: CorrelationGroupId,
    ) -> Result<CorrelationGroup, AlertsError> {
        principal.require(Permission::ALERTS_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let group = store::correlation::get_group(&mut tx, id).await?;
        tx.commit().await?;
        group.ok_or(AlertsError::NotFound("correlation group"))
    }

    /// Feeds newly created alerts to every enabled correlation rule of the tenant (the
    /// `alerts.correlate` job). Re-running it with the same alerts changes nothing.
    #[tracing::instrument(skip(self, alerts), fields(n = alerts.len()))]
    pub async fn correlate(&self, tenant: TenantId, alerts: &[AlertId]) -> Result<(), AlertsError> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let rules = store::correlation::lock_enabled_rules(&mut tx).await?;
        if rules.is_empty() || alerts.is_empty() {
            tx.commit().await?;
            return Ok(());
        }
        let now = Utc::now();
        let findings: Vec<(AlertId, Severity, detect::Finding)> =
            store::correlation::findings(&mut tx, alerts)
                .await?
                .into_iter()
                .filter_map(|(id, severity, ocsf)| {
                    let finding = detect::normalize(SourceKind::Ocsf, &ocsf, now).ok()?.finding;
                    let severity = Severity::from_ocsf_id(i64::from(severity))?;
                    Some((id, severity, finding))
                })
                .collect();
        let mut touched_total = 0;
        let mut candidates_total = 0;
        for rule in &rules {
            let (touched, candidates) = correlate_rule(&mut tx, rule, &findings, now).await?;
            touched_total += touched;
            candidates_total += candidates;
        }
        if touched_total > 0 {
            let summary = json!({
                "alerts": alerts.len(), "groups_touched": touched_total,
                "incident_candidates": candidates_total,
            });
            let context = RequestContext::default();
            let entry = Acting::System(tenant).audit(
                &context,
                "correlation.update",
                "correlation_group",
                None,
                summary,
            );
            audit::record(&mut tx, &entry).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// One rule's pass; returns how many groups it touched and how many became candidates.
async fn correlate_rule(
    tx: &mut TenantTx,
    rule: &CorrelationRule,
    findings: &[(AlertId, Severity, detect::Finding)],
    now: DateTime<Utc>,
) -> Result<(usize, usize), AlertsError> {
    let config = rule.config();
    let mut state = store::correlation::state(tx, rule.id).await?;
    let mut touched: BTreeSet<u64> = BTreeSet::new();
    let mut merged: BTreeSet<u64> = BTreeSet::new();
    let mut candidates: BTreeSet<u64> = BTreeSet::new();
    let mut severities: BTreeMap<u64, Severity> = BTreeMap::new();
    // Groups expire by the alerts' own clock: a backfill of old alerts still groups.
    let mut latest = None;
    for (id, severity, finding) in findings.iter().filter(|(_, s, _)| *s >= rule.min_severity) {
        let facts = AlertFacts::of(id.to_string(), finding, &config);
        if facts.keys.is_empty() {
            continue;
        }
        latest = latest.max(Some(facts.time));
        let decision = state.observe(&config, facts);
        touched.insert(decision.group_id);
        merged.extend(decision.merged.iter().copied());
        if decision.incident_candidate {
            candidates.insert(decision.group_id);
        }
        let top = severities.entry(decision.group_id).or_insert(*severity);
        *top = (*top).max(*severity);
    }
    touched.retain(|id| !merged.contains(id));
    if !merged.is_empty() {
        let merged: Vec<u64> = merged.into_iter().collect();
        store::correlation::drop_merged(tx, rule.id, &merged).await?;
    }
    for engine_id in &touched {
        let Some(group) = state.group(*engine_id).cloned() else { continue };
        let candidate = candidates.contains(engine_id);
        let row_id = store::correlation::save_group(tx, rule.id, &group, candidate).await?;
        if candidate {
            let severity = severities.get(engine_id).copied().unwrap_or(Severity::High);
            let members: Vec<&String> = group.members.iter().take(100).collect();
            let keys: Vec<serde_json::Value> = group
                .keys
                .iter()
                .map(|k| json!({"kind": link_word(k.kind), "value": k.value}))
                .collect();
            let subject = format!(
                "Incident candidate: {} alerts linked by {}",
                group.members.len(),
                rule.name
            );
            let payload = json!({
                "group_id": row_id, "rule_id": rule.id, "rule": rule.name,
                "member_count": group.members.len(), "alert_ids": members, "keys": keys,
                "first_seen": group.first_seen, "last_seen": group.last_seen,
            });
            let event = Event {
                kind: INCIDENT_CANDIDATE,
                severity: outbox_severity(severity),
                subject: &subject,
                payload,
            };
            outbox::emit(tx, &event).await?;
        }
    }
    state.expire(&config, latest.map_or(now, |latest| latest.min(now)));
    store::correlation::save_state(tx, rule.id, &state).await?;
    Ok((touched.len(), candidates.len()))
}

async fn record(
    tx: &mut TenantTx,
    context: &RequestContext,
    principal: &Principal,
    action: &str,
    rule: &CorrelationRule,
) -> Result<(), AlertsError> {
    let summary = json!({
        "name": rule.name, "enabled": rule.enabled,
        "link_by": rule.link_by.iter().map(|k| link_word(*k)).collect::<Vec<_>>(),
        "window_secs": rule.window.num_seconds(), "threshold": rule.threshold,
    });
    let entry =
        principal.audit(context, action, "correlation_rule", Some(rule.id.to_string()), summary);
    audit::record(tx, &entry).await?;
    Ok(())
}
