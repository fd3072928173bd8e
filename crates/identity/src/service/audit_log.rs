//! Reading the audit log: one page of the principal's tenant chain (or, for a global
//! administrator who asks, the platform chain), newest first, filtered by actor, action, target
//! and time. This is a hot path: one call, one round trip, no count. It must not write audit
//! rows (reads are not audited) and must never read another tenant's chain.

use super::Identity;
use crate::error::ManageError;
use crate::model::{AuditFilter, AuditRow};
use crate::store::audit;
use platform::access::{Permission, Principal};
use platform::{Page, PageRequest, TenantId};

/// Which chain to read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuditScope {
    /// The principal's tenant.
    #[default]
    Tenant,
    /// Platform-wide actions (tenant creation, registration): global administrators only.
    Platform,
}

impl Identity {
    /// A page of rows matching `filter`, newest first.
    #[tracing::instrument(level = "debug", skip(self, principal, filter, page))]
    pub async fn audit_log(
        &self,
        principal: &Principal,
        scope: AuditScope,
        filter: &AuditFilter,
        page: &PageRequest,
    ) -> Result<Page<AuditRow>, ManageError> {
        principal.require(Permission::AUDIT_VIEW)?;
        let tenant = match scope {
            AuditScope::Tenant => principal.tenant,
            AuditScope::Platform => {
                principal.require_global_admin()?;
                TenantId::PLATFORM
            }
        };
        let before_seq: Option<i64> = page.after()?;
        let mut read = self.db().tenant_read(tenant).await?;
        let rows = audit::page(&mut read, filter, before_seq, page.fetch()).await?;
        Ok(Page::from_rows(rows, page, |row| row.seq))
    }
}

#[cfg(test)]
mod tests {
    use crate::model::ActionMatch;

    #[test]
    fn a_trailing_star_matches_by_prefix_and_anything_else_exactly() {
        assert_eq!(ActionMatch::parse("user.*"), ActionMatch::Prefix("user.".into()));
        assert_eq!(ActionMatch::parse("*"), ActionMatch::Prefix(String::new()));
        assert_eq!(ActionMatch::parse("user.create"), ActionMatch::Exact("user.create".into()));
        assert_eq!(ActionMatch::parse("us*er"), ActionMatch::Exact("us*er".into()));
    }
}
