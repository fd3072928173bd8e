//! The end of a completed scan, in one transaction: the snapshot (canonical JSON and its
//! SHA-256), the baseline when the asset has none yet, the diff against the baseline, one
//! change row and one outbox event (with its deliveries) per change, the expiry announcements,
//! and the scan marked completed with `scan.completed`.
//!
//! Which changes are reported: those between the baseline and this snapshot, less those already
//! reported for the previous snapshot (a change that persists is reported once, until a new
//! baseline is accepted). An equal hash (nothing changed since the previous snapshot or the
//! baseline) skips the diff; `CERT_EXPIRING` is still judged, since time moves on while the
//! surface stays, and its announcements make it fire once per certificate per window.

use crate::error::SurfaceError;
use crate::model::{Asset, Change, ChangeId, Ports, ScanId, SnapshotId};
use crate::service::Surface;
use crate::store::{self, scans::Finish, snapshots::NewSnapshot};
use chrono::Utc;
use platform::outbox::{self, Event, Severity};
use platform::{TenantId, TenantTx};
use serde_json::json;
use surface_engine::diff::{
    self, ChangeEvent, ChangeKind, DiffSettings, ExpiryAnnouncements, Severity as EngineSeverity,
};
use surface_engine::scan::HostReport;
use surface_engine::snapshot::{CertificateCheck, Scope, Snapshot};
use surface_engine::values::{AssetValue, ScanTarget, Target};

impl Surface {
    pub(super) async fn record(
        &self,
        tenant: TenantId,
        asset: &Asset,
        scan: ScanId,
        targets: &[ScanTarget],
        ports: &Ports,
        hosts: &[HostReport],
    ) -> Result<(), SurfaceError> {
        let now = Utc::now();
        let scope = Scope::new(scope_targets(&asset.value, targets), ports.spec().clone());
        let snapshot =
            Snapshot::build(scope, hosts, CertificateCheck { now, anchors: self.anchors() });
        let sha256 = snapshot.sha256();
        let document: serde_json::Value = serde_json::from_str(&snapshot.canonical_json())
            .map_err(|e| {
                SurfaceError::Unexpected(anyhow::Error::new(e).context("snapshot JSON"))
            })?;
        let open_ports: usize = snapshot.hosts().iter().map(|host| host.ports.len()).sum();

        let mut tx = self.db().tenant_tx(tenant).await?;
        let Some(asset) = store::assets::get(&mut tx, asset.id, true).await? else { return Ok(()) };
        match store::scans::get(&mut tx, scan, true).await? {
            Some(row) if !row.status.is_final() => {}
            _ => return Ok(()),
        }
        let previous = store::snapshots::latest(&mut tx, asset.id).await?;
        let baseline = match asset.baseline_snapshot_id {
            Some(id) => store::snapshots::get(&mut tx, id).await?,
            None => None,
        };
        let announced = store::assets::announcements(&mut tx, asset.id).await?;
        let snapshot_id = SnapshotId::generate();
        let record = NewSnapshot {
            id: snapshot_id,
            asset: asset.id,
            scan,
            sha256: &sha256,
            hosts: count(snapshot.hosts().len()),
            open_ports: count(open_ports),
            document,
        };
        store::snapshots::insert(&mut tx, record).await?;

        let settings =
            DiffSettings { now, expiry_windows_days: self.settings().expiry_windows_days.clone() };
        let unchanged = |other: &Option<crate::model::SnapshotRecord>| {
            other.as_ref().is_some_and(|other| other.sha256 == sha256)
        };
        let outcome = match &baseline {
            None => {
                store::assets::set_baseline(&mut tx, asset.id, snapshot_id).await?;
                diff::diff(&snapshot, &snapshot, &settings, &announced)
            }
            Some(_) if unchanged(&previous) || unchanged(&baseline) => {
                diff::diff(&snapshot, &snapshot, &settings, &announced)
            }
            Some(base) => {
                let base = document_of(base)?;
                let mut outcome = diff::diff(&base, &snapshot, &settings, &announced);
                if let Some(previous) = previous
                    .as_ref()
                    .filter(|p| Some(&p.sha256) != baseline.as_ref().map(|b| &b.sha256))
                {
                    let previous = document_of(previous)?;
                    let reported =
                        diff::diff(&base, &previous, &settings, &ExpiryAnnouncements::new()).events;
                    outcome.events.retain(|event| {
                        event.kind == ChangeKind::CertExpiring || !reported.contains(event)
                    });
                }
                outcome
            }
        };
        let value = asset.value.to_string();
        for event in &outcome.events {
            self.write_change(&mut tx, &asset, &value, scan, snapshot_id, event).await?;
        }
        store::assets::record_scan(&mut tx, asset.id, &outcome.announcements).await?;
        let finish = Finish::Completed {
            snapshot: snapshot_id,
            hosts_up: count(snapshot.hosts().len()),
            open_ports: count(open_ports),
            changes: count(outcome.events.len()),
        };
        if let Some(done) = store::scans::finish(&mut tx, scan, finish).await? {
            let subject = format!(
                "Scan of {value} completed: {} host(s) up, {open_ports} open port(s), {} change(s)",
                snapshot.hosts().len(),
                outcome.events.len()
            );
            let payload = json!({
                "scan_id": done.id,
                "asset_id": asset.id,
                "asset": value,
                "snapshot_id": snapshot_id,
                "sha256": sha256,
                "hosts_up": snapshot.hosts().len(),
                "open_ports": open_ports,
                "changes": outcome.events.len(),
            });
            outbox::emit(
                &mut tx,
                &Event {
                    kind: "scan.completed",
                    severity: Severity::Info,
                    subject: &subject,
                    payload,
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// One change row and its event (`surface.port_opened`, …), with the event's deliveries.
    async fn write_change(
        &self,
        tx: &mut TenantTx,
        asset: &Asset,
        value: &str,
        scan: ScanId,
        snapshot: SnapshotId,
        event: &ChangeEvent,
    ) -> Result<(), SurfaceError> {
        let id = ChangeId::generate();
        let kind = kind_name(event.kind);
        let severity = severity(event.severity);
        let to_json = |observed: &Option<diff::Observed>| {
            observed.as_ref().and_then(|o| serde_json::to_value(o).ok())
        };
        let (before, after) = (to_json(&event.before), to_json(&event.after));
        let server_name = event.server_name.as_ref().map(ToString::to_string);
        let place = match (&server_name, event.port) {
            (Some(name), Some(port)) => format!("{name} ({}) port {port}", event.address),
            (Some(name), None) => format!("{name} ({})", event.address),
            (None, Some(port)) => format!("{} port {port}", event.address),
            (None, None) => event.address.to_string(),
        };
        let subject = format!("{kind} on {place} (asset {value})");
        let payload = json!({
            "change_id": id,
            "asset_id": asset.id,
            "asset": value,
            "scan_id": scan,
            "snapshot_id": snapshot,
            "kind": kind,
            "address": event.address.to_string(),
            "server_name": server_name,
            "port": event.port,
            "before": before,
            "after": after,
        });
        let event_type = format!("surface.{}", kind.to_ascii_lowercase());
        let emitted =
            outbox::emit(tx, &Event { kind: &event_type, severity, subject: &subject, payload })
                .await?;
        let change = Change {
            id,
            asset_id: asset.id,
            scan_id: scan,
            snapshot_id: snapshot,
            kind: kind.to_string(),
            severity: severity.as_str().to_string(),
            address: event.address.to_string(),
            server_name,
            port: event.port.map(i32::from),
            before,
            after,
            event_id: emitted.event_id,
            acked_at: None,
            acked_by: None,
            created_at: Utc::now(),
        };
        store::changes::insert(tx, &change).await
    }
}

/// What the snapshot says was scanned: the block or address as named, or a domain's addresses.
fn scope_targets(value: &AssetValue, targets: &[ScanTarget]) -> Vec<Target> {
    match value {
        AssetValue::Cidr(cidr) => vec![Target::Block(*cidr)],
        AssetValue::Ip(ip) => vec![Target::Address(*ip)],
        AssetValue::Domain(_) => targets.iter().map(|t| Target::Address(t.address())).collect(),
    }
}

fn document_of(record: &crate::model::SnapshotRecord) -> Result<Snapshot, SurfaceError> {
    serde_json::from_value(record.document.clone()).map_err(|e| {
        SurfaceError::Unexpected(anyhow::Error::new(e).context(format!("snapshot {}", record.id)))
    })
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The change kind as stored and shown (`PORT_OPENED`).
pub fn kind_name(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::HostNew => "HOST_NEW",
        ChangeKind::HostGone => "HOST_GONE",
        ChangeKind::PortOpened => "PORT_OPENED",
        ChangeKind::PortClosed => "PORT_CLOSED",
        ChangeKind::ServiceChanged => "SERVICE_CHANGED",
        ChangeKind::CertRotated => "CERT_ROTATED",
        ChangeKind::CertExpiring => "CERT_EXPIRING",
        ChangeKind::CertExpired => "CERT_EXPIRED",
        ChangeKind::CertInvalid => "CERT_INVALID",
    }
}

fn severity(severity: EngineSeverity) -> Severity {
    match severity {
        EngineSeverity::Info => Severity::Info,
        EngineSeverity::Low => Severity::Low,
        EngineSeverity::Medium => Severity::Medium,
        EngineSeverity::High => Severity::High,
        EngineSeverity::Critical => Severity::Critical,
    }
}
