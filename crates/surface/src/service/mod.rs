//! `Surface`: the handle through which the API manages assets, proves authorization, starts and
//! cancels scans, reads snapshots and changes, and through which the jobs scan, schedule and
//! re-check. Cheap to clone; one per process.
//!
//! Each mutation for a principal runs in one `tenant_tx` with exactly one audit row; events go
//! through the outbox in the same transaction. Outbound work (DNS, HTTP, probes) never runs
//! inside a transaction.

pub mod assets;
pub mod authorization;
pub mod changes;
mod guard;
pub mod input;
pub mod scans;
pub mod snapshots;

use crate::dns::Dns;
use crate::settings::SurfaceSettings;
use crate::verify::Verifier;
use platform::Db;
use platform::TenantTx;
use platform::audit::{self, Actor, AuditEntry, RequestContext};
use platform::outbound::OutboundPolicy;
use std::fmt;
use std::sync::Arc;
use surface_engine::tls::TrustAnchors;

struct Inner {
    db: Db,
    settings: Arc<SurfaceSettings>,
    policy: OutboundPolicy,
    dns: Dns,
    verifier: Verifier,
    anchors: TrustAnchors,
}

#[derive(Clone)]
pub struct Surface {
    inner: Arc<Inner>,
}

impl fmt::Debug for Surface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Surface")
    }
}

impl Surface {
    /// The service on `db`, connecting out only where `outbound` allows, asking the configured
    /// nameservers.
    pub fn new(db: Db, outbound: OutboundPolicy, settings: SurfaceSettings) -> Surface {
        let settings = Arc::new(settings);
        let dns = Dns::new(&settings);
        let verifier = Verifier::new(dns.clone(), outbound.clone(), settings.clone());
        let anchors = TrustAnchors::webpki_roots();
        Surface {
            inner: Arc::new(Inner { db, settings, policy: outbound, dns, verifier, anchors }),
        }
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn settings(&self) -> &SurfaceSettings {
        &self.inner.settings
    }

    pub(crate) fn policy(&self) -> &OutboundPolicy {
        &self.inner.policy
    }

    pub(crate) fn dns(&self) -> &Dns {
        &self.inner.dns
    }

    pub(crate) fn verifier(&self) -> &Verifier {
        &self.inner.verifier
    }

    pub(crate) fn anchors(&self) -> &TrustAnchors {
        &self.inner.anchors
    }
}

/// Writes the audit row of something the system did by itself (a scheduled scan, a re-check).
pub(crate) async fn audit_system(
    tx: &mut TenantTx,
    action: &str,
    target_type: &str,
    target_id: String,
    summary: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let context = RequestContext::default();
    let entry = AuditEntry {
        actor: Actor::System,
        action,
        target_type,
        target_id: Some(target_id),
        context: &context,
        summary,
    };
    audit::record(tx, &entry).await.map(|_| ())
}
