//! Who is acting, as the history and the audit log record it: a principal (user, API key, the
//! operator) or a configured ingest source, which acts as the system on its tenant's behalf.

use crate::model::AlertSourceId;
use platform::access::Principal;
use platform::audit::{Actor, AuditEntry, RequestContext};
use platform::{TenantId, UserId};
use serde_json::json;
use uuid::Uuid;

/// The actor of a change.
#[derive(Clone, Debug)]
pub enum Acting<'a> {
    Principal(&'a Principal),
    /// A push authenticated by its source's own credential.
    Source {
        tenant: TenantId,
        id: AlertSourceId,
        name: &'a str,
    },
    /// A job (correlation, SLA check) acting for the tenant.
    System(TenantId),
    /// A job doing what `actor` asked for (a bulk job), recorded as theirs.
    Delegated {
        tenant: TenantId,
        actor: Actor,
    },
}

impl Acting<'_> {
    pub fn tenant(&self) -> TenantId {
        match self {
            Acting::Principal(principal) => principal.tenant,
            Acting::Source { tenant, .. }
            | Acting::System(tenant)
            | Acting::Delegated { tenant, .. } => *tenant,
        }
    }

    pub fn actor(&self) -> Actor {
        match self {
            Acting::Principal(principal) => principal.actor(),
            Acting::Delegated { actor, .. } => *actor,
            Acting::Source { .. } | Acting::System(_) => Actor::System,
        }
    }

    /// The actor a history row names (`user`, `api_key`, `system`), read back.
    pub fn recorded(tenant: TenantId, actor_type: &str, actor_id: Option<Uuid>) -> Acting<'static> {
        let actor = match (actor_type, actor_id) {
            ("user", Some(id)) => Actor::User(UserId::from_uuid(id)),
            ("api_key", Some(id)) => Actor::ApiKey(platform::ApiKeyId::from_uuid(id)),
            _ => Actor::System,
        };
        Acting::Delegated { tenant, actor }
    }

    /// `user`, `api_key` or `system`, and the id, as the history stores them.
    pub fn history_actor(&self) -> (&'static str, Option<Uuid>) {
        match self.actor() {
            Actor::User(id) => ("user", Some(id.as_uuid())),
            Actor::ApiKey(id) => ("api_key", Some(id.as_uuid())),
            Actor::System => ("system", None),
        }
    }

    /// The user behind the change, if a user made it.
    pub fn user(&self) -> Option<UserId> {
        match (self, self.actor()) {
            (Acting::Principal(principal), _) => principal.user,
            (_, Actor::User(user)) => Some(user),
            _ => None,
        }
    }

    pub fn audit<'c>(
        &self,
        context: &'c RequestContext,
        action: &'c str,
        target_type: &'c str,
        target_id: Option<String>,
        mut summary: serde_json::Value,
    ) -> AuditEntry<'c> {
        match self {
            Acting::Principal(principal) => {
                principal.audit(context, action, target_type, target_id, summary)
            }
            Acting::Source { id, name, .. } => {
                if let Some(object) = summary.as_object_mut() {
                    object.insert("source".into(), json!({"id": id, "name": name}));
                }
                AuditEntry {
                    actor: Actor::System,
                    action,
                    target_type,
                    target_id,
                    context,
                    summary,
                }
            }
            Acting::System(_) | Acting::Delegated { .. } => {
                AuditEntry { actor: self.actor(), action, target_type, target_id, context, summary }
            }
        }
    }
}
