//! The scan job: from a queued scan to its decision.
//!
//! 1. Lock the scan; a finished one is left alone (the job may run twice). Mark it running.
//! 2. A pull-request scan without a diff: open the installation's token, read the pull request's
//!    head, create its check run (`in_progress`), fetch the diff through the SSRF guard and put
//!    it in the object store; each step is committed, so a retry resumes where it stopped.
//! 3. Resolve the policy (the scan's, else the repository's or installation's, else the tenant's
//!    default, else the built-in default), its exceptions, the baseline and the tenant's packs.
//! 4. Scan off the async threads; sign the report as an in-toto statement in a DSSE envelope.
//! 5. In one transaction: the findings, the outcome, the audit row, the `diffscan.completed`
//!    event and, for a pull request, the check-run report job.
//!
//! A failure that retrying cannot fix (a deleted installation, GitHub refusing the token, a
//! policy that no longer compiles), or any failure on the last attempt, fails the scan: its
//! decision then follows the policy's `on_error` (fail-closed: `error`; fail-open: a degraded
//! `pass`), and it is reported like any other.

use super::Diffscan;
use super::input;
use crate::error::DiffscanError;
use crate::github::{GithubError, checks};
use crate::jobs;
use crate::metrics::ScanLabels;
use crate::model::{
    BaselineEntry, ExceptionRecord, PolicyRecord, RulePackRecord, ScanId, ScanRecord, ScanSource,
    ScanStatus, ScanSummary, StatusCounts,
};
use crate::objects::ObjectKey;
use crate::store;
use crate::store::scans::Outcome;
use bytes::Bytes;
use chrono::Utc;
use diffscan_engine::policy::{BaselineEntry as EngineEntry, Fingerprint};
use diffscan_engine::report::Report;
use diffscan_engine::{Baseline, Decision, FindingStatus, OnError};
use platform::audit::{self, Actor, AuditEntry, RequestContext};
use platform::outbox::{self, Event, Severity};
use platform::{Secret, TenantId};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Why a step of the job stopped.
pub(crate) enum Stop {
    /// Retrying cannot help: fail the scan with this message for its requester.
    Permanent(String),
    /// Retrying may help (unless this is the last attempt).
    Transient(DiffscanError),
}

impl From<DiffscanError> for Stop {
    fn from(error: DiffscanError) -> Self {
        Stop::Transient(error)
    }
}

impl From<sqlx::Error> for Stop {
    fn from(error: sqlx::Error) -> Self {
        Stop::Transient(error.into())
    }
}

impl From<platform::DbError> for Stop {
    fn from(error: platform::DbError) -> Self {
        Stop::Transient(error.into())
    }
}

impl From<GithubError> for Stop {
    fn from(error: GithubError) -> Self {
        if error.is_transient() {
            Stop::Transient(DiffscanError::Unexpected(anyhow::Error::new(error)))
        } else {
            Stop::Permanent(error.to_string())
        }
    }
}

/// What a scan runs with.
struct Inputs {
    policy: Option<PolicyRecord>,
    exceptions: Vec<ExceptionRecord>,
    baseline: Option<Vec<BaselineEntry>>,
    packs: Vec<RulePackRecord>,
}

impl Diffscan {
    /// Runs the scan `id` of `tenant` (see the module documentation). `last_attempt`: a failure
    /// now fails the scan instead of leaving it to a retry.
    #[tracing::instrument(skip(self))]
    pub async fn run_scan(
        &self,
        tenant: TenantId,
        id: ScanId,
        last_attempt: bool,
    ) -> Result<(), DiffscanError> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let Some(scan) = store::scans::get(&mut tx, id, true).await? else {
            return Ok(());
        };
        if scan.status.is_final() {
            return Ok(());
        }
        store::scans::mark_running(&mut tx, id).await?;
        tx.commit().await?;
        match self.scan_steps(tenant, &scan).await {
            Ok(()) => Ok(()),
            Err(Stop::Permanent(message)) => self.fail(tenant, id, &message).await,
            Err(Stop::Transient(error)) if last_attempt => {
                tracing::warn!(error = format!("{error:#}"), scan = %id, "scan failed on its last attempt");
                self.fail(tenant, id, "the scan could not be completed; see the server log").await
            }
            Err(Stop::Transient(error)) => Err(error),
        }
    }

    async fn scan_steps(&self, tenant: TenantId, scan: &ScanRecord) -> Result<(), Stop> {
        let diff = match scan.source {
            ScanSource::Github => self.pull_request_diff(tenant, scan).await?,
            ScanSource::Api => self.stored_diff(tenant, scan.id).await?,
        };
        let inputs = self.inputs(tenant, scan).await?;
        let today = Utc::now().date_naive();
        let policy = input::engine_policy(
            &policy_document(inputs.policy.as_ref()),
            &inputs.exceptions,
            self.settings().max_diff_bytes,
        )
        .map_err(|e| Stop::Permanent(format!("the policy no longer reads: {e}")))?;
        let engine = self.engines().with_packs(&inputs.packs).map_err(|e| {
            Stop::Permanent(format!("the tenant's rule packs no longer compile: {e}"))
        })?;
        let baseline = inputs.baseline.map(|entries| Baseline::new(engine_entries(entries)));
        let signer = self.signer().await?.clone();
        let subject = scan.name.clone();
        let started = std::time::Instant::now();
        let (report, artifact) = tokio::task::spawn_blocking(move || {
            let report = engine.scan(&diff, &policy, baseline.as_ref(), today);
            let artifact = diffscan_engine::sign_report(&report, &subject, &signer);
            (report, artifact)
        })
        .await
        .map_err(|e| {
            Stop::Transient(anyhow::anyhow!("the scan task ended abnormally: {e}").into())
        })?;
        let engine_time = started.elapsed();
        let artifact = artifact.map_err(|e| Stop::Transient(anyhow::Error::new(e).into()))?;
        let key_id = self.signer().await?.key_id().to_string();
        self.record(tenant, scan, &report, &artifact, &key_id).await?;
        self.count(scan, report.decision, report.degraded, engine_time);
        Ok(())
    }

    /// The raw diff of an API scan, from the object store.
    async fn stored_diff(&self, tenant: TenantId, id: ScanId) -> Result<Vec<u8>, Stop> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let key = store::scans::diff_key(&mut tx, id).await?;
        tx.commit().await?;
        let key = key.and_then(|k| ObjectKey::parse(&k)).ok_or_else(|| {
            Stop::Permanent("the raw diff was purged before it was scanned".into())
        })?;
        match self.objects().get(&key).await.map_err(DiffscanError::from)? {
            Some(bytes) => Ok(bytes.to_vec()),
            None => Err(Stop::Permanent("the raw diff is missing from the object store".into())),
        }
    }

    /// A pull request's diff: fetched (with the check run created first) when the scan has none.
    async fn pull_request_diff(
        &self,
        tenant: TenantId,
        scan: &ScanRecord,
    ) -> Result<Vec<u8>, Stop> {
        let Some(github) = &scan.github else {
            return Err(Stop::Permanent("the scan names no pull request".into()));
        };
        if scan.diff.sha256.is_some() {
            return self.stored_diff(tenant, scan.id).await;
        }
        let installation_id = github
            .installation_id
            .ok_or_else(|| Stop::Permanent("the GitHub installation was deleted".into()))?;
        let mut tx = self.db().tenant_tx(tenant).await?;
        let installation = store::github::get(&mut tx, installation_id, false)
            .await?
            .ok_or_else(|| Stop::Permanent("the GitHub installation was deleted".into()))?;
        tx.commit().await?;
        let token = self.open_token(tenant, &installation).await?;
        let api = installation.api_url.as_str();
        let head = match &github.head_sha {
            Some(sha) => sha.clone(),
            None => {
                self.github()
                    .pull_request(api, &token, &github.repository, github.pull_request)
                    .await?
                    .head_sha
            }
        };
        if github.check_run_id.is_none() {
            let body = checks::started(
                &installation.check_name,
                &head,
                &scan.id.to_string(),
                &self.details_url(scan.id),
            );
            let created =
                self.github().create_check_run(api, &token, &github.repository, &body).await;
            let check_run = match created {
                Ok(id) => Some(id),
                // Without a check run the scan still runs; its result is then only in Palisade.
                Err(error) if !error.is_transient() => {
                    tracing::warn!(%error, scan = %scan.id, "GitHub refused the check run");
                    None
                }
                Err(error) => return Err(error.into()),
            };
            let mut tx = self.db().tenant_tx(tenant).await?;
            store::scans::set_check_run(&mut tx, scan.id, &head, check_run).await?;
            tx.commit().await?;
        }
        let max = self.settings().max_diff_bytes;
        let diff = self
            .github()
            .pull_request_diff(api, &token, &github.repository, github.pull_request, max)
            .await?;
        let key = ObjectKey::diff(tenant, scan.id);
        self.objects().put(&key, Bytes::from(diff.clone())).await.map_err(DiffscanError::from)?;
        let sha = hex::encode(Sha256::digest(&diff));
        let bytes = i64::try_from(diff.len()).unwrap_or(i64::MAX);
        let mut tx = self.db().tenant_tx(tenant).await?;
        store::scans::set_diff(&mut tx, scan.id, &sha, bytes, key.as_str()).await?;
        tx.commit().await?;
        Ok(diff)
    }

    pub(crate) async fn open_token(
        &self,
        tenant: TenantId,
        installation: &crate::model::InstallationRecord,
    ) -> Result<Secret<String>, Stop> {
        let keyring = self.keyring().await?;
        let aad = super::github::token_aad(tenant, installation.id);
        let plain = keyring.open(&aad, &installation.token).map_err(|e| {
            Stop::Permanent(format!("the installation's token cannot be opened: {e}"))
        })?;
        String::from_utf8(plain.expose().clone())
            .map(Secret::new)
            .map_err(|_| Stop::Permanent("the installation's token is not text".into()))
    }

    /// The policy (see the module documentation), exceptions, baseline and packs of a scan.
    async fn inputs(&self, tenant: TenantId, scan: &ScanRecord) -> Result<Inputs, Stop> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let mut policy_id = scan.policy_id;
        let mut baseline_id = scan.baseline_id;
        if let Some(github) = &scan.github
            && let Some(installation_id) = github.installation_id
        {
            let repository =
                store::github::find_repository(&mut tx, installation_id, &github.repository)
                    .await?;
            let installation = store::github::get(&mut tx, installation_id, false).await?;
            policy_id = policy_id
                .or(repository.as_ref().and_then(|r| r.policy_id))
                .or(installation.and_then(|i| i.policy_id));
            baseline_id = baseline_id.or(repository.and_then(|r| r.baseline_id));
        }
        let policy = match policy_id {
            Some(id) => store::policies::get(&mut tx, id, false).await?,
            None => store::policies::default(&mut tx).await?,
        };
        let exceptions =
            store::exceptions::applying(&mut tx, policy.as_ref().map(|p| p.id)).await?;
        let baseline = match baseline_id {
            Some(id) => Some(store::baselines::entries(&mut tx, id, None, 1_000_000).await?),
            None => None,
        };
        let packs = store::rule_packs::enabled(&mut tx).await?;
        tx.commit().await?;
        Ok(Inputs { policy, exceptions, baseline, packs })
    }

    /// Writes a scan's result, in one transaction with its audit row, event and report job.
    async fn record(
        &self,
        tenant: TenantId,
        scan: &ScanRecord,
        report: &Report,
        artifact: &[u8],
        key_id: &str,
    ) -> Result<(), DiffscanError> {
        let summary = summary_of(report);
        let mut tx = self.db().tenant_tx(tenant).await?;
        store::findings::replace(&mut tx, scan.id, &report.findings).await?;
        let outcome = Outcome {
            status: ScanStatus::Completed,
            decision: report.decision,
            degraded: report.degraded,
            error: None,
            findings_count: count(report.findings.len() + report.omitted_findings),
            blocking_count: count(report.blocking_count()),
            summary: &summary,
            artifact: Some(artifact),
            artifact_key_id: Some(key_id),
        };
        let finished = store::scans::finish(&mut tx, scan.id, &outcome).await?;
        self.announce(&mut tx, &finished).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Fails a scan: no report; the decision follows the policy's `on_error`.
    async fn fail(&self, tenant: TenantId, id: ScanId, message: &str) -> Result<(), DiffscanError> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let Some(scan) = store::scans::get(&mut tx, id, true).await? else {
            return Ok(());
        };
        if scan.status.is_final() {
            return Ok(());
        }
        let policy = match scan.policy_id {
            Some(policy) => store::policies::get(&mut tx, policy, false).await?,
            None => store::policies::default(&mut tx).await?,
        };
        let on_error = input::engine_policy(&policy_document(policy.as_ref()), &[], usize::MAX)
            .map(|p| p.on_error())
            .unwrap_or(OnError::FailClosed);
        let (decision, degraded) = match on_error {
            OnError::FailClosed => (Decision::Error, false),
            OnError::FailOpen => (Decision::Pass, true),
        };
        let outcome = Outcome {
            status: ScanStatus::Failed,
            decision,
            degraded,
            error: Some(message),
            findings_count: 0,
            blocking_count: 0,
            summary: &ScanSummary::default(),
            artifact: None,
            artifact_key_id: None,
        };
        let finished = store::scans::finish(&mut tx, id, &outcome).await?;
        self.announce(&mut tx, &finished).await?;
        tx.commit().await?;
        tracing::info!(scan = %id, message, "scan failed");
        self.count(&scan, decision, degraded, std::time::Duration::ZERO);
        Ok(())
    }

    /// The audit row, the `diffscan.completed` event and, for a pull request with a check run,
    /// the report job of a finished scan.
    async fn announce(
        &self,
        tx: &mut platform::TenantTx,
        scan: &ScanRecord,
    ) -> Result<(), DiffscanError> {
        let decision = scan.decision.unwrap_or(Decision::Error);
        let payload = json!({
            "scan_id": scan.id,
            "name": scan.name,
            "status": scan.status.as_str(),
            "source": scan.source.as_str(),
            "decision": decision.as_str(),
            "degraded": scan.degraded,
            "findings": scan.findings_count,
            "blocking": scan.blocking_count,
            "error": scan.error,
            "repository": scan.github.as_ref().map(|g| &g.repository),
            "pull_request": scan.github.as_ref().map(|g| g.pull_request),
            "url": self.details_url(scan.id),
        });
        let context = RequestContext::default();
        let entry = AuditEntry {
            actor: Actor::System,
            action: "diffscan.scan.complete",
            target_type: "diffscan_scan",
            target_id: Some(scan.id.to_string()),
            context: &context,
            summary: payload.clone(),
        };
        audit::record(tx, &entry).await?;
        let subject = match (decision, scan.degraded) {
            (Decision::Fail, _) => {
                format!(
                    "Diffscan of {}: fail, {} blocking finding(s)",
                    scan.name, scan.blocking_count
                )
            }
            (Decision::Error, _) => {
                format!("Diffscan of {}: error, the diff was not scanned", scan.name)
            }
            (Decision::Pass, true) => {
                format!("Diffscan of {}: pass on a partial scan (fail-open)", scan.name)
            }
            (Decision::Pass, false) => format!("Diffscan of {}: pass", scan.name),
        };
        let severity = match (decision, scan.degraded) {
            (Decision::Fail, _) => Severity::High,
            (Decision::Error, _) => Severity::Medium,
            (Decision::Pass, true) => Severity::Low,
            (Decision::Pass, false) => Severity::Info,
        };
        let event = Event { kind: "diffscan.completed", severity, subject: &subject, payload };
        outbox::emit(tx, &event).await?;
        if scan.github.as_ref().is_some_and(|g| g.check_run_id.is_some()) {
            jobs::enqueue_report(tx, scan.id).await?;
        }
        Ok(())
    }

    fn count(
        &self,
        scan: &ScanRecord,
        decision: Decision,
        degraded: bool,
        engine: std::time::Duration,
    ) {
        let since = (Utc::now() - scan.created_at).to_std().unwrap_or_default();
        let labels = ScanLabels {
            decision: decision.as_str().into(),
            source: scan.source.as_str().into(),
            degraded: degraded.to_string(),
        };
        self.metrics().scan_finished(labels, engine, since);
    }

    /// Where people see a scan's result.
    pub(crate) fn details_url(&self, id: ScanId) -> String {
        format!("{}/v1/diffscans/{id}/report.html", self.public_url())
    }
}

/// A stored policy's document, or the built-in default's.
fn policy_document(policy: Option<&PolicyRecord>) -> serde_json::Value {
    policy.map_or_else(|| json!({"version": 1}), |p| p.document.clone())
}

fn engine_entries(entries: Vec<BaselineEntry>) -> Vec<EngineEntry> {
    entries
        .into_iter()
        .filter_map(|entry| {
            Some(EngineEntry {
                fingerprint: Fingerprint::parse(&entry.fingerprint).ok()?,
                rule: entry.rule,
                path: entry.path,
            })
        })
        .collect()
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn summary_of(report: &Report) -> ScanSummary {
    let by = |status: FindingStatus| report.findings.iter().filter(|f| f.status == status).count();
    ScanSummary {
        counts: StatusCounts {
            open: by(FindingStatus::Open),
            suppressed: by(FindingStatus::Suppressed),
            excepted: by(FindingStatus::Excepted),
            baselined: by(FindingStatus::Baselined),
            omitted: report.omitted_findings,
        },
        stats: report.stats,
        engine: Some(report.engine.clone()),
        policy: Some(report.policy.clone()),
        errors: report.errors.clone(),
        expired_exceptions: report.expired_exceptions.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diffscan_engine::Policy;

    #[test]
    fn the_default_policy_document_is_the_built_in_default_and_fails_closed() {
        let policy: Policy = input::engine_policy(&policy_document(None), &[], 1024).unwrap();
        assert_eq!(policy.profile().name(), "default");
        assert_eq!(policy.on_error(), OnError::FailClosed);
        assert_eq!(policy.limits().max_total_bytes(), 1024);
    }
}
