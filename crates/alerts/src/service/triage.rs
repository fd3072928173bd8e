//! Triage: acknowledge, investigate, close with a disposition, reopen, assign. Each change is
//! a move between statuses that this module alone decides (`next`), applied to one alert or to
//! ten thousand the same way: rows locked in id order, new states written, one history row per
//! alert changed, the statistics' deltas, one `alert.updated` event and one audit row, in the
//! caller's transaction.

use super::events;
use super::{Acting, Alerts};
use crate::error::AlertsError;
use crate::model::{Alert, AlertId, AlertStatus, Disposition};
use crate::store;
use crate::store::alerts::{State, StatusText};
use crate::store::history::{Made, NewEntry};
use crate::store::stats::{Delta, Deltas};
use chrono::{DateTime, Utc};
use detect::Severity;
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::{FieldCode, TenantTx, UserId};
use serde_json::json;
use uuid::Uuid;

/// Comments are at most this long.
pub const MAX_COMMENT_CHARS: usize = 4000;

/// A triage action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Acknowledge,
    Investigate,
    Close(Disposition),
    Reopen,
    Assign(Option<UserId>),
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Acknowledge => "acknowledge",
            Action::Investigate => "investigate",
            Action::Close(_) => "close",
            Action::Reopen => "reopen",
            Action::Assign(_) => "assign",
        }
    }
}

/// The state after `action`, `None` when it changes nothing (acknowledging an acknowledged
/// alert), or the refusal when the status does not allow it.
pub(crate) fn next(
    action: Action,
    state: &State,
    user: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<Option<State>, AlertsError> {
    let from = state.status.0;
    let refuse = || AlertsError::Transition { action: action.name(), from };
    let mut next = state.clone();
    let acknowledge = |next: &mut State| {
        if next.acknowledged_at.is_none() {
            next.acknowledged_at = Some(at);
            next.acknowledged_by = user;
        }
    };
    match (action, from) {
        (_, AlertStatus::Closed) if action != Action::Reopen => return Err(refuse()),
        (Action::Reopen, AlertStatus::Closed) => {
            next.status = StatusText(AlertStatus::Acknowledged);
            next.disposition = None;
            next.closed_at = None;
            next.closed_by = None;
        }
        (Action::Reopen, _) => return Err(refuse()),
        (Action::Acknowledge, AlertStatus::New) => {
            next.status = StatusText(AlertStatus::Acknowledged);
            acknowledge(&mut next);
        }
        (Action::Acknowledge, _) => return Ok(None),
        (Action::Investigate, AlertStatus::Investigating) => return Ok(None),
        (Action::Investigate, _) => {
            next.status = StatusText(AlertStatus::Investigating);
            acknowledge(&mut next);
        }
        (Action::Close(disposition), _) => {
            next.status = StatusText(AlertStatus::Closed);
            next.disposition = Some(disposition.as_str().to_string());
            next.closed_at = Some(at);
            next.closed_by = user;
        }
        (Action::Assign(assignee), _) => {
            if state.assignee_id == assignee {
                return Ok(None);
            }
            next.assignee_id = assignee;
        }
    }
    Ok(Some(next))
}

/// What a change did to the listed alerts.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    pub changed: Vec<(State, State)>,
    pub unchanged: Vec<AlertId>,
    pub refused: Vec<(AlertId, AlertsError)>,
    pub not_found: Vec<AlertId>,
}

/// A comment as stored: trimmed, bounded, without NUL.
pub(crate) fn comment(text: Option<&str>) -> Result<Option<String>, AlertsError> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) if text.chars().count() > MAX_COMMENT_CHARS => Err(AlertsError::invalid(
            "comment",
            FieldCode::TOO_LONG,
            format!("at most {MAX_COMMENT_CHARS} characters"),
        )),
        Some(text) if text.contains('\0') => {
            Err(AlertsError::invalid("comment", FieldCode::INVALID_TEXT, "must not contain NUL"))
        }
        Some(text) => Ok(Some(text.to_string())),
    }
}

/// Refuses an assignee who is not an active member of the tenant.
pub(crate) async fn check_assignee(
    tx: &mut TenantTx,
    assignee: Option<UserId>,
) -> Result<(), AlertsError> {
    let Some(user) = assignee else { return Ok(()) };
    let member: bool = sqlx::query_scalar(
        "select exists (select 1 from memberships
                         where tenant_id = $1 and user_id = $2 and status = 'active')",
    )
    .bind(tx.tenant())
    .bind(user)
    .fetch_one(&mut **tx)
    .await?;
    match member {
        true => Ok(()),
        false => Err(AlertsError::invalid(
            "assignee_id",
            FieldCode::INVALID_ASSIGNEE,
            "not an active member of this tenant",
        )),
    }
}

/// Applies `action` to `ids` in the caller's transaction: states, history and statistics.
pub(crate) async fn change(
    tx: &mut TenantTx,
    acting: &Acting<'_>,
    action: Action,
    comment: Option<&str>,
    ids: &[AlertId],
    bulk_id: Option<Uuid>,
) -> Result<Changes, AlertsError> {
    let at = Utc::now();
    let states = store::alerts::lock_states(tx, ids).await?;
    let mut changes = Changes::default();
    let found: std::collections::HashSet<AlertId> = states.iter().map(|s| s.id).collect();
    changes.not_found = ids.iter().copied().filter(|id| !found.contains(id)).collect();
    let (actor_type, actor_id) = acting.history_actor();
    let user = acting.user().map(|u| u.as_uuid());
    for state in states {
        match next(action, &state, user, at) {
            Ok(Some(changed)) => changes.changed.push((state, changed)),
            Ok(None) => changes.unchanged.push(state.id),
            Err(refusal) => changes.refused.push((state.id, refusal)),
        }
    }
    if changes.changed.is_empty() {
        return Ok(changes);
    }
    let written: Vec<State> = changes.changed.iter().map(|(_, new)| new.clone()).collect();
    store::alerts::write_states(tx, &written, at).await.map_err(|e| reopen_conflict(e, action))?;
    let disposition = match action {
        Action::Close(disposition) => Some(disposition),
        _ => None,
    };
    let entries: Vec<NewEntry<'_>> = changes
        .changed
        .iter()
        .map(|(old, new)| NewEntry {
            alert_id: old.id,
            from_status: old.status.0,
            to_status: new.status.0,
            from_assignee: old.assignee_id,
            to_assignee: new.assignee_id,
            disposition,
            comment,
        })
        .collect();
    let made = Made { actor_type, actor_id, action: action.name(), at, bulk_id };
    store::history::record(tx, made, &entries).await?;
    let mut deltas = Deltas::default();
    for (old, new) in &changes.changed {
        deltas.add(old.created_at, old.severity, delta(old, new));
    }
    store::stats::apply(tx, &deltas).await?;
    Ok(changes)
}

/// What moving from `old` to `new` adds to the statistics.
fn delta(old: &State, new: &State) -> Delta {
    let mut delta = match old.status.0 == new.status.0 {
        true => Delta::default(),
        false => Delta::moved(old.status.0, new.status.0),
    };
    let seconds =
        |later: DateTime<Utc>| (later - old.created_at).num_milliseconds() as f64 / 1000.0;
    if let (None, Some(acknowledged)) = (old.acknowledged_at, new.acknowledged_at) {
        delta.acknowledged_total = 1;
        delta.ack_seconds = seconds(acknowledged);
    }
    match (old.closed_at, new.closed_at) {
        (None, Some(closed)) => delta.close_seconds = seconds(closed),
        (Some(closed), None) => delta.close_seconds = -seconds(closed),
        _ => {}
    }
    delta
}

/// Reopening an alert while another open alert holds its fingerprint is refused.
fn reopen_conflict(error: sqlx::Error, action: Action) -> AlertsError {
    let constraint = error.as_database_error().and_then(|d| d.constraint());
    match (constraint, action) {
        (Some("alerts_open_fingerprint_key"), Action::Reopen) => AlertsError::Conflict(
            "another open alert already folds the repeats of this one; triage that one instead"
                .into(),
        ),
        _ => AlertsError::Unexpected(error.into()),
    }
}

pub(crate) fn severity_of(state: &State) -> Severity {
    Severity::from_ocsf_id(i64::from(state.severity)).unwrap_or(Severity::Unknown)
}

impl Alerts {
    /// Acknowledges an alert (`new` → `acknowledged`; nothing changes when it is further).
    #[tracing::instrument(skip(self, context, principal, note))]
    pub async fn acknowledge(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: AlertId,
        note: Option<&str>,
    ) -> Result<Alert, AlertsError> {
        principal.require(Permission::ALERTS_TRIAGE)?;
        self.triage(context, principal, id, Action::Acknowledge, note).await
    }

    /// Starts investigating an alert (`new` or `acknowledged` → `investigating`).
    #[tracing::instrument(skip(self, context, principal, note))]
    pub async fn investigate(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: AlertId,
        note: Option<&str>,
    ) -> Result<Alert, AlertsError> {
        principal.require(Permission::ALERTS_TRIAGE)?;
        self.triage(context, principal, id, Action::Investigate, note).await
    }

    /// Closes an open alert with a disposition.
    #[tracing::instrument(skip(self, context, principal, note))]
    pub async fn close(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: AlertId,
        disposition: Disposition,
        note: Option<&str>,
    ) -> Result<Alert, AlertsError> {
        principal.require(Permission::ALERTS_TRIAGE)?;
        self.triage(context, principal, id, Action::Close(disposition), note).await
    }

    /// Reopens a closed alert (→ `acknowledged`; its disposition is cleared).
    #[tracing::instrument(skip(self, context, principal, note))]
    pub async fn reopen(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: AlertId,
        note: Option<&str>,
    ) -> Result<Alert, AlertsError> {
        principal.require(Permission::ALERTS_TRIAGE)?;
        self.triage(context, principal, id, Action::Reopen, note).await
    }

    /// Assigns an open alert to a member of the tenant, or unassigns it (`None`).
    #[tracing::instrument(skip(self, context, principal, note))]
    pub async fn assign(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: AlertId,
        assignee: Option<UserId>,
        note: Option<&str>,
    ) -> Result<Alert, AlertsError> {
        principal.require(Permission::ALERTS_TRIAGE)?;
        self.triage(context, principal, id, Action::Assign(assignee), note).await
    }

    async fn triage(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: AlertId,
        action: Action,
        note: Option<&str>,
    ) -> Result<Alert, AlertsError> {
        let note = comment(note)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        if let Action::Assign(assignee) = action {
            check_assignee(&mut tx, assignee).await?;
        }
        let acting = Acting::Principal(principal);
        let mut changes = change(&mut tx, &acting, action, note.as_deref(), &[id], None).await?;
        if !changes.not_found.is_empty() {
            return Err(AlertsError::NotFound("alert"));
        }
        if let Some((_, refusal)) = changes.refused.pop() {
            return Err(refusal);
        }
        if let Some((old, new)) = changes.changed.first() {
            let subject = format!("Alert {}: {}", action.name(), old.title);
            let payload = json!({
                "alert_id": id, "title": old.title,
                "from_status": old.status.0, "to_status": new.status.0,
                "assignee_id": new.assignee_id, "disposition": new.disposition,
            });
            events::updated(&mut tx, action.name(), &[id], severity_of(old), &subject, payload)
                .await?;
            let summary = json!({
                "from": old.status.0, "to": new.status.0,
                "assignee_id": new.assignee_id, "disposition": new.disposition,
                "comment": note.is_some(),
            });
            let audit_action = format!("alert.{}", action.name());
            let entry =
                principal.audit(context, &audit_action, "alert", Some(id.to_string()), summary);
            audit::record(&mut tx, &entry).await?;
        }
        let alert = super::queue::load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(alert)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(status: AlertStatus) -> State {
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        State {
            id: AlertId::generate(),
            title: "t".into(),
            severity: 4,
            status: StatusText(status),
            disposition: (status == AlertStatus::Closed).then(|| "benign".into()),
            assignee_id: None,
            created_at: at,
            acknowledged_at: None,
            acknowledged_by: None,
            closed_at: (status == AlertStatus::Closed).then_some(at),
            closed_by: None,
        }
    }

    #[test]
    fn every_action_moves_only_from_the_statuses_that_allow_it() {
        use AlertStatus::*;
        let at = Utc::now();
        let moved = |action, from| match next(action, &state(from), None, at) {
            Ok(Some(next)) => Some(next.status.0),
            Ok(None) => Some(from),
            Err(_) => None,
        };
        let close = Action::Close(Disposition::FalsePositive);
        let table = [
            (
                Action::Acknowledge,
                [Some(Acknowledged), Some(Acknowledged), Some(Investigating), None],
            ),
            (
                Action::Investigate,
                [Some(Investigating), Some(Investigating), Some(Investigating), None],
            ),
            (close, [Some(Closed), Some(Closed), Some(Closed), None]),
            (Action::Reopen, [None, None, None, Some(Acknowledged)]),
        ];
        for (action, expected) in table {
            let found = [New, Acknowledged, Investigating, Closed].map(|from| moved(action, from));
            assert_eq!(found, expected, "{action:?}");
        }
    }

    #[test]
    fn the_statistics_see_the_first_acknowledgement_and_a_reopen_undoes_the_close() {
        let old = state(AlertStatus::New);
        let at = old.created_at + chrono::TimeDelta::seconds(90);
        let acknowledged =
            next(Action::Acknowledge, &old, None, at).ok().flatten().unwrap_or_else(|| old.clone());
        let first = delta(&old, &acknowledged);
        assert_eq!(
            (first.counts, first.acknowledged_total, first.ack_seconds),
            ([-1, 1, 0, 0], 1, 90.0)
        );
        let mut closed = state(AlertStatus::Closed);
        closed.closed_at = Some(closed.created_at + chrono::TimeDelta::seconds(60));
        let reopened = next(Action::Reopen, &closed, None, at)
            .ok()
            .flatten()
            .unwrap_or_else(|| closed.clone());
        let undone = delta(&closed, &reopened);
        assert_eq!((undone.counts, undone.close_seconds), ([0, 1, 0, -1], -60.0));
    }
}
