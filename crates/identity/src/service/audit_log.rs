//! Reading the audit log: one page of the principal's tenant chain (or, for a global
//! administrator who asks, the platform chain), newest first, filtered by actor, action, target
//! and time. This is a hot path: one transaction, one query, no count. It must not write audit
//! rows (reads are not audited) and must never read another tenant's chain.

use super::Identity;
use crate::error::ManageError;
use crate::principal::Principal;
use crate::store::audit::{self, ActionMatch, AuditFilter, AuditRow};
use platform::TenantId;

/// Which chain to read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuditScope {
    /// The principal's tenant.
    #[default]
    Tenant,
    /// Platform-wide actions (tenant creation, registration): global administrators only.
    Platform,
}

/// One page and the cursor of the next (`None` on the last page).
#[derive(Debug)]
pub struct AuditPage {
    pub items: Vec<AuditRow>,
    pub next_cursor: Option<i64>,
}

/// `user.*` matches every action starting with `user.`; anything else matches exactly.
pub fn parse_action(text: &str) -> ActionMatch {
    match text.strip_suffix('*') {
        Some(prefix) => ActionMatch::Prefix(prefix.to_string()),
        None => ActionMatch::Exact(text.to_string()),
    }
}

impl Identity {
    /// Up to `limit` rows matching `filter`, newest first.
    #[tracing::instrument(level = "debug", skip(self, principal, filter))]
    pub async fn audit_log(
        &self,
        principal: &Principal,
        scope: AuditScope,
        filter: &AuditFilter,
        limit: u32,
    ) -> Result<AuditPage, ManageError> {
        let tenant = match scope {
            AuditScope::Tenant => principal.tenant,
            AuditScope::Platform if principal.is_global_admin => TenantId::PLATFORM,
            AuditScope::Platform => {
                return Err(ManageError::Forbidden(
                    "Only global administrators may read the platform audit log.".into(),
                ));
            }
        };
        let limit = i64::from(limit);
        let mut tx = self.db().tenant_tx(tenant).await?;
        // One row more than asked tells whether another page follows, without a count.
        let mut items = audit::page(&mut tx, tenant, filter, limit + 1).await?;
        // Read-only, so not committed: dropping the transaction queues its ROLLBACK, which goes
        // out with the check sqlx makes when the connection returns to the pool (a round trip
        // fewer than COMMIT on the hot path).
        drop(tx);
        let next_cursor = if items.len() as i64 > limit {
            items.truncate(items.len().saturating_sub(1));
            items.last().map(|row| row.seq)
        } else {
            None
        };
        Ok(AuditPage { items, next_cursor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_star_matches_by_prefix_and_anything_else_exactly() {
        assert_eq!(parse_action("user.*"), ActionMatch::Prefix("user.".into()));
        assert_eq!(parse_action("*"), ActionMatch::Prefix(String::new()));
        assert_eq!(parse_action("user.create"), ActionMatch::Exact("user.create".into()));
        assert_eq!(parse_action("us*er"), ActionMatch::Exact("us*er".into()));
    }
}
