//! The worker's side of a scan (the `surface.run_scan` job), in order:
//!
//! 1. the scan is taken only while queued (or running, after a worker died): anything else
//!    was cancelled or ended and is left alone;
//! 2. the asset's proof of authorization is checked again now (a definite "gone" revokes it);
//!    the scan probes nothing unless it holds;
//! 3. the targets are resolved through surface's resolver and every address passes the SSRF
//!    guard; the engine is handed only those checked addresses;
//! 4. the engine scans (ports, service hints, TLS), while progress and cancel requests are
//!    exchanged with the scan row about once a second;
//! 5. the snapshot, its diff against the baseline and every change event with its deliveries
//!    are written in one transaction (`record`).
//!
//! `scan.started`, `scan.completed` and `scan.failed` go out through the outbox.

mod progress;
mod record;
mod targets;

use crate::error::SurfaceError;
use crate::model::{AssetStatus, ScanId, ScanStatus};
use crate::service::Surface;
use crate::store::{self, scans::Finish};
use crate::verify::Outcome;
use platform::outbox::{self, Event, Severity};
use platform::{TenantId, TenantTx};
use serde_json::json;
use surface_engine::scan::{self, CancellationToken, ScanOptions};

impl Surface {
    /// Runs the queued scan `id` of `tenant` (see the module documentation).
    #[tracing::instrument(skip(self))]
    pub async fn run_scan(&self, tenant: TenantId, id: ScanId) -> Result<(), SurfaceError> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let Some(scan) = store::scans::get(&mut tx, id, false).await? else { return Ok(()) };
        if scan.status.is_final() {
            return Ok(());
        }
        let Some(asset) = store::assets::get(&mut tx, scan.asset_id, false).await? else {
            return Ok(());
        };
        tx.commit().await?;
        if asset.status != AssetStatus::Authorized {
            let reason =
                format!("the asset is {}, no longer authorized to be scanned", asset.status);
            return self.fail_scan(tenant, id, &reason).await;
        }
        match self.check_proof(tenant, &asset).await? {
            Outcome::Proven => {}
            Outcome::NotProven(reason) => {
                let reason =
                    format!("the proof of authorization is gone ({reason}); the asset was revoked");
                return self.fail_scan(tenant, id, &reason).await;
            }
            Outcome::Unreachable(reason) => {
                let reason = format!("the proof of authorization could not be checked ({reason})");
                return self.fail_scan(tenant, id, &reason).await;
            }
        }
        let ports = match crate::model::Ports::parse(&scan.ports) {
            Ok(ports) => ports,
            Err(reason) => return self.fail_scan(tenant, id, &reason).await,
        };
        let targets = match self.scan_targets(&asset.value).await {
            Ok(targets) => targets,
            Err(reason) => return self.fail_scan(tenant, id, &reason).await,
        };
        let total = targets.len() as u64 * ports.spec().len() as u64;
        if total > self.settings().scan.max_probes {
            let reason = format!(
                "{total} probes is more than the {} one scan may make",
                self.settings().scan.max_probes
            );
            return self.fail_scan(tenant, id, &reason).await;
        }
        let mut tx = self.db().tenant_tx(tenant).await?;
        let started =
            store::scans::start(&mut tx, id, i64::try_from(total).unwrap_or(i64::MAX)).await?;
        let value = asset.value.to_string();
        let subject = format!("Scan of {value} started");
        let payload =
            json!({ "scan_id": id, "asset_id": asset.id, "asset": value, "ports": started.ports });
        outbox::emit(
            &mut tx,
            &Event { kind: "scan.started", severity: Severity::Info, subject: &subject, payload },
        )
        .await?;
        tx.commit().await?;

        let cancel = CancellationToken::new();
        let tracker = progress::Tracker::start(self.clone(), tenant, id, total, cancel.clone());
        let options = self.scan_options();
        let summary =
            scan::scan(&targets, ports.spec(), &options, &cancel, |event| tracker.observe(&event))
                .await;
        let stopped = tracker.finish().await;
        let summary = match summary {
            Ok(summary) => summary,
            Err(error) => {
                return self
                    .fail_scan(tenant, id, &format!("the scanner could not start: {error}"))
                    .await;
            }
        };
        match stopped {
            progress::Stopped::No => {}
            progress::Stopped::Cancelled => {
                let mut tx = self.db().tenant_tx(tenant).await?;
                store::scans::finish(&mut tx, id, Finish::Cancelled).await?;
                tx.commit().await?;
                return Ok(());
            }
            progress::Stopped::TimedOut => {
                let max = self.settings().scan.max_duration.as_secs();
                return self
                    .fail_scan(
                        tenant,
                        id,
                        &format!("the scan ran longer than {max} seconds and was stopped"),
                    )
                    .await;
            }
        }
        self.record(tenant, &asset, id, &targets, &ports, &summary.hosts).await
    }

    /// Ends a queued or running scan as failed, with `scan.failed`. A scan that already ended
    /// is left as it is.
    pub async fn fail_scan(
        &self,
        tenant: TenantId,
        id: ScanId,
        reason: &str,
    ) -> Result<(), SurfaceError> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        if let Some(scan) = store::scans::finish(&mut tx, id, Finish::Failed(reason)).await? {
            announce_end(&mut tx, &scan, reason).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    fn scan_options(&self) -> ScanOptions {
        let limits = &self.settings().scan;
        ScanOptions {
            concurrency: limits.concurrency,
            connect_timeout: limits.connect_timeout,
            timeout_retries: limits.retries,
            connects_per_second: limits.connects_per_second,
            tls: true,
            tls_timeout: limits.tls_timeout,
            service_hints: true,
            ..ScanOptions::default()
        }
    }
}

/// `scan.failed` for a scan that just failed.
async fn announce_end(
    tx: &mut TenantTx,
    scan: &crate::model::Scan,
    reason: &str,
) -> Result<(), SurfaceError> {
    if scan.status != ScanStatus::Failed {
        return Ok(());
    }
    let subject = format!("Scan {} failed: {reason}", scan.id);
    let payload = json!({ "scan_id": scan.id, "asset_id": scan.asset_id, "error": reason });
    outbox::emit(
        tx,
        &Event { kind: "scan.failed", severity: Severity::Medium, subject: &subject, payload },
    )
    .await?;
    Ok(())
}
