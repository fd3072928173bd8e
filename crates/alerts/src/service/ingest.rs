//! Ingestion: a push of alerts in Palisade's format or a source's own (Wazuh, Elastic, OCSF,
//! Sentinel, Splunk), from an API key with `ALERTS_INGEST` or from a configured source with its
//! own token or signature (checked over the exact bytes before anything is parsed); and a push
//! of raw events that only the detection rules look at. Each item is accepted or rejected on its
//! own; the accepted ones are committed — alert rows, observables, statistics, events, jobs and
//! one audit row — in one transaction before the answer.

use super::ingest_write::{self, Batch, Written};
use super::{Acting, Alerts};
use crate::error::AlertsError;
use crate::ingest::{
    Detection, IngestHeaders, Prepared, Rejection, read_items, verify_signature, verify_token,
};
use crate::model::ids::to_millis;
use crate::model::{AlertId, AlertSourceId, DetectionRuleId, SourceAuth, TenantAlertSettings};
use crate::store::{self, sources::Credential};
use anyhow::Context;
use chrono::{DateTime, Utc};
use detect::{FingerprintConfig, SourceKind};
use platform::access::{Permission, Principal};
use platform::audit::RequestContext;
use platform::{FieldCode, TenantId};

/// A push: which adapter reads it, its body as received, and whether it was declared NDJSON.
#[derive(Clone, Copy, Debug)]
pub struct IngestRequest<'a> {
    pub source: SourceKind,
    pub body: &'a [u8],
    pub ndjson: bool,
}

/// What became of an accepted item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A new alert.
    Created,
    /// A repeat, folded into the open alert of its fingerprint.
    Folded,
    /// A re-send of a source id already seen: nothing changed.
    Duplicate,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Folded => "folded",
            Outcome::Duplicate => "duplicate",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    pub index: usize,
    pub id: AlertId,
    pub outcome: Outcome,
    pub occurrences: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    pub index: usize,
    pub code: FieldCode,
    pub message: String,
}

/// An alert a detection rule raised on an item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detected {
    pub index: usize,
    pub rule_id: DetectionRuleId,
    pub alert_id: AlertId,
    pub outcome: Outcome,
}

/// The answer to a push: every item is either accepted or rejected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub accepted: Vec<Accepted>,
    pub rejected: Vec<Rejected>,
    pub detections: Vec<Detected>,
}

/// Attempts of one batch's transaction when PostgreSQL reports a deadlock with a concurrent one.
const ATTEMPTS: usize = 3;

impl Alerts {
    /// A push by a principal (an API key, normally).
    #[tracing::instrument(skip(self, context, principal, request), fields(source = %request.source, bytes = request.body.len()))]
    pub async fn ingest(
        &self,
        context: &RequestContext,
        principal: &Principal,
        request: IngestRequest<'_>,
    ) -> Result<IngestReport, AlertsError> {
        principal.require(Permission::ALERTS_INGEST)?;
        self.ingest_as(context, Acting::Principal(principal), None, request).await
    }

    /// A push by a configured source, authenticated by its own token or signature.
    #[tracing::instrument(skip(self, context, headers, request), fields(source = %request.source, bytes = request.body.len()))]
    pub async fn ingest_from_source(
        &self,
        context: &RequestContext,
        source_id: AlertSourceId,
        headers: &IngestHeaders,
        request: IngestRequest<'_>,
    ) -> Result<IngestReport, AlertsError> {
        let refused = AlertsError::Unauthenticated("the source's credential is not valid");
        let stored = store::sources::lookup(self.db(), source_id).await?.ok_or(refused)?;
        if !stored.source.enabled {
            return Err(AlertsError::Unauthenticated("the source's credential is not valid"));
        }
        self.verify(
            stored.tenant,
            &stored.source.id,
            stored.source.auth,
            &stored.credential,
            headers,
            request.body,
        )
        .await?;
        if stored.source.kind != request.source {
            return Err(AlertsError::Conflict(format!(
                "this source pushes {} alerts; use /v1/alerts/ingest{}",
                stored.source.kind,
                match stored.source.kind {
                    SourceKind::Palisade => String::new(),
                    other => format!("/{other}"),
                }
            )));
        }
        let acting = Acting::Source {
            tenant: stored.tenant,
            id: stored.source.id,
            name: &stored.source.name,
        };
        self.ingest_as(context, acting, Some(stored.source.id), request).await
    }

    async fn verify(
        &self,
        tenant: TenantId,
        id: &AlertSourceId,
        auth: SourceAuth,
        credential: &Credential,
        headers: &IngestHeaders,
        body: &[u8],
    ) -> Result<(), AlertsError> {
        match credential {
            Credential::TokenDigest(digest) => verify_token(digest, headers),
            Credential::Secret(sealed) => {
                let keyring = self.keyring().await?;
                let aad = super::sources::source_aad(tenant, *id);
                let secret = keyring
                    .open(&aad, sealed)
                    .map_err(|e| anyhow::anyhow!("opening the secret of source {id}: {e}"))?;
                let window = i64::try_from(self.settings().replay_window.as_secs()).unwrap_or(300);
                verify_signature(
                    auth,
                    secret.expose(),
                    headers,
                    body,
                    Utc::now().timestamp(),
                    window,
                )
            }
        }
    }

    async fn ingest_as(
        &self,
        context: &RequestContext,
        acting: Acting<'_>,
        ingest_source: Option<AlertSourceId>,
        request: IngestRequest<'_>,
    ) -> Result<IngestReport, AlertsError> {
        let received_at = to_millis(Utc::now());
        let (settings, rules) = self.ingest_context(acting.tenant()).await?;
        // Reading and normalizing a batch of a thousand alerts (and running the detection rules
        // on them) is tens of milliseconds of CPU: done on the bulk threads, so that the
        // runtime's workers keep answering the requests that wait meanwhile, and the kernel
        // runs those requests first when the cores are busy.
        let (source, body, ndjson) = (request.source, request.body.to_vec(), request.ndjson);
        let fingerprints = settings.fingerprint_config();
        let PreparedBatch { originals, rejected, detections } = self
            .inner
            .prepare
            .run(move || prepare_all(source, &body, ndjson, received_at, &fingerprints, &rules))
            .await
            .context("preparing an ingested batch")??;
        let batch = Batch {
            source: request.source.as_str(),
            ingest_source,
            originals: &originals,
            detections: &detections,
            received_at,
            rejected: rejected.len(),
        };
        let written = self.write_batch(context, &acting, &batch).await?;
        Ok(IngestReport { accepted: written.accepted, rejected, detections: written.detections })
    }

    /// A push of raw events (Windows event-log JSON, ECS documents, flat field maps): each is
    /// evaluated by the tenant's detection rules; matches raise alerts, the events themselves
    /// are not stored.
    #[tracing::instrument(skip(self, context, principal, body), fields(bytes = body.len()))]
    pub async fn ingest_events(
        &self,
        context: &RequestContext,
        principal: &Principal,
        body: &[u8],
        ndjson: bool,
    ) -> Result<IngestReport, AlertsError> {
        principal.require(Permission::ALERTS_INGEST)?;
        let received_at = to_millis(Utc::now());
        let (settings, rules) = self.ingest_context(principal.tenant).await?;
        let fingerprints = settings.fingerprint_config();
        // CPU-bound, like `prepare_all`: on the bulk threads.
        let body = body.to_vec();
        let (rejected, detections) = self
            .inner
            .prepare
            .run(move || detect_on_events(&body, ndjson, received_at, &fingerprints, &rules))
            .await
            .context("evaluating pushed events")??;
        let batch = Batch {
            source: "sigma",
            ingest_source: None,
            originals: &[],
            detections: &detections,
            received_at,
            rejected: rejected.len(),
        };
        let written = self.write_batch(context, &Acting::Principal(principal), &batch).await?;
        Ok(IngestReport { accepted: Vec::new(), rejected, detections: written.detections })
    }

    /// The tenant's settings and compiled rules, read in a short transaction of their own.
    async fn ingest_context(
        &self,
        tenant: TenantId,
    ) -> Result<(TenantAlertSettings, std::sync::Arc<super::rules::CompiledRules>), AlertsError>
    {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let (document, version) = store::settings::load(&mut tx).await?;
        let settings = super::settings::parse_stored(document.as_ref());
        let rules = self.compiled_rules(&mut tx, version).await?;
        tx.commit().await?;
        Ok((settings, rules))
    }

    /// Writes a batch in one transaction, again from the start when a concurrent batch
    /// deadlocked with it.
    async fn write_batch(
        &self,
        context: &RequestContext,
        acting: &Acting<'_>,
        batch: &Batch<'_>,
    ) -> Result<Written, AlertsError> {
        let _turn = self.inner.writers.acquire().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = async {
                let mut tx = self.db().tenant_tx(acting.tenant()).await?;
                let written = ingest_write::write(&mut tx, context, acting, batch).await?;
                tx.commit().await?;
                Ok::<_, AlertsError>(written)
            }
            .await;
            match result {
                Err(error) if attempt < ATTEMPTS && retryable(&error) => {
                    tracing::info!(attempt, "ingest transaction conflicted; retrying");
                }
                other => return other,
            }
        }
    }
}

/// A deadlock or serialization failure: the transaction can simply run again.
pub(crate) fn retryable(error: &AlertsError) -> bool {
    let AlertsError::Unexpected(cause) = error else { return false };
    cause.chain().any(|e| {
        e.downcast_ref::<sqlx::Error>()
            .and_then(|e| e.as_database_error())
            .and_then(|d| d.code())
            .is_some_and(|code| code == "40P01" || code == "40001")
    })
}

/// The detections the tenant's rules raise on every event of `body`, and the items that are no
/// events.
fn detect_on_events(
    body: &[u8],
    ndjson: bool,
    received_at: DateTime<Utc>,
    fingerprints: &FingerprintConfig,
    rules: &super::rules::CompiledRules,
) -> Result<(Vec<Rejected>, Vec<Detection>), AlertsError> {
    let items = read_items(SourceKind::Palisade, body, ndjson)?;
    let mut rejected = Vec::new();
    let mut detections = Vec::new();
    for item in items {
        match item.parsed {
            Ok((event, _)) if event.is_object() => {
                detections.extend(crate::ingest::prepare::detect_on_event(
                    rules,
                    item.index,
                    &event,
                    received_at,
                    fingerprints,
                ));
            }
            Ok(_) => rejected.push(Rejected {
                index: item.index,
                code: FieldCode::NOT_AN_OBJECT,
                message: "the event is not a JSON object".into(),
            }),
            Err(Rejection { code, message }) => {
                rejected.push(Rejected { index: item.index, code, message })
            }
        }
    }
    Ok((rejected, detections))
}

/// A batch ready to write: the accepted items, the refused ones and the detections.
struct PreparedBatch {
    originals: Vec<Prepared>,
    rejected: Vec<Rejected>,
    detections: Vec<Detection>,
}

/// Every item of `body` read, normalized and fingerprinted (`Prepared`) or refused
/// (`Rejected`), with the detections the tenant's rules raise on the accepted ones.
fn prepare_all(
    source: SourceKind,
    body: &[u8],
    ndjson: bool,
    received_at: DateTime<Utc>,
    fingerprints: &FingerprintConfig,
    rules: &super::rules::CompiledRules,
) -> Result<PreparedBatch, AlertsError> {
    let items = read_items(source, body, ndjson)?;
    let mut originals: Vec<Prepared> = Vec::with_capacity(items.len());
    let mut rejected = Vec::new();
    let mut detections: Vec<Detection> = Vec::new();
    for item in items {
        let prepared = item.parsed.and_then(|(value, raw)| {
            crate::ingest::prepare::prepare(
                source,
                item.index,
                &value,
                raw,
                received_at,
                fingerprints,
            )
        });
        match prepared {
            Ok(prepared) => {
                detections.extend(crate::ingest::prepare::detect_on_alert(
                    rules,
                    &prepared,
                    received_at,
                    fingerprints,
                ));
                originals.push(prepared);
            }
            Err(Rejection { code, message }) => {
                rejected.push(Rejected { index: item.index, code, message })
            }
        }
    }
    Ok(PreparedBatch { originals, rejected, detections })
}
