//! The check-run report job: completes a finished pull-request scan's check run with its
//! conclusion, summary and annotations, in as many requests as its annotations need (50 each).
//! Sending the same requests again is harmless, so a retry simply starts over.

use super::Diffscan;
use super::results::report_of;
use super::run::Stop;
use crate::error::DiffscanError;
use crate::github::checks::{self, Completion};
use crate::model::ScanId;
use crate::store;
use platform::TenantId;

impl Diffscan {
    #[tracing::instrument(skip(self))]
    pub async fn report_check_run(
        &self,
        tenant: TenantId,
        id: ScanId,
        last_attempt: bool,
    ) -> Result<(), DiffscanError> {
        match self.report_steps(tenant, id).await {
            Ok(()) => Ok(()),
            Err(Stop::Permanent(message)) => {
                tracing::warn!(scan = %id, message, "the check run could not be completed");
                Ok(())
            }
            Err(Stop::Transient(error)) if last_attempt => {
                tracing::warn!(scan = %id, error = format!("{error:#}"), "the check run could not be completed");
                Ok(())
            }
            Err(Stop::Transient(error)) => Err(error),
        }
    }

    async fn report_steps(&self, tenant: TenantId, id: ScanId) -> Result<(), Stop> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let Some(scan) = store::scans::get(&mut tx, id, false).await? else {
            return Ok(());
        };
        let artifact = store::scans::artifact(&mut tx, id).await?;
        let installation = match scan.github.as_ref().and_then(|g| g.installation_id) {
            Some(installation) => store::github::get(&mut tx, installation, false).await?,
            None => None,
        };
        tx.commit().await?;
        let (Some(github), Some(decision)) = (&scan.github, scan.decision) else {
            return Ok(());
        };
        let (Some(check_run), Some(installation)) = (github.check_run_id, installation) else {
            return Err(Stop::Permanent("no check run or installation to report to".into()));
        };
        let report = artifact.as_deref().map(report_of).transpose()?;
        let details = self.details_url(id);
        let completion = Completion {
            decision,
            degraded: scan.degraded,
            failure: scan.error.as_deref(),
            report: report.as_ref(),
            details_url: &details,
        };
        let token = self.open_token(tenant, &installation).await?;
        for body in checks::completion_requests(&completion) {
            self.github()
                .update_check_run(
                    &installation.api_url,
                    &token,
                    &github.repository,
                    check_run,
                    &body,
                )
                .await?;
        }
        Ok(())
    }
}
