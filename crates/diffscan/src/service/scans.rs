//! Requesting scans: a raw diff or a pull request, idempotent under an `Idempotency-Key` scoped
//! to the tenant and the principal (the same key and request answer the original scan; another
//! request under the key is a conflict).
//!
//! A created scan is queued: its job is enqueued in the transaction of its row, and a raw diff is
//! in the object store before that transaction commits.

use super::Diffscan;
use super::input;
use crate::error::DiffscanError;
use crate::jobs;
use crate::model::{
    BaselineId, GithubRef, InstallationId, PolicyId, Requester, ScanId, ScanRecord, ScanSource,
};
use crate::objects::ObjectKey;
use crate::store::{self, scans::NewScan};
use base64::Engine as _;
use bytes::Bytes;
use chrono::Utc;
use platform::access::{Permission, Principal};
use platform::audit::{self, Actor, RequestContext};
use platform::{FieldCode, TenantId, TenantTx};
use serde_json::json;
use sha2::{Digest, Sha256};

/// How long an `Idempotency-Key` answers with its first scan.
pub const IDEMPOTENCY_HOURS: i64 = 24;

/// A scan request as a client sends it: exactly one of `diff`, `diff_base64` and `github`.
#[derive(Clone, Debug, Default)]
pub struct ScanRequest {
    /// The unified diff as text.
    pub diff: Option<String>,
    /// The unified diff as base64, for bytes that are not text.
    pub diff_base64: Option<String>,
    pub github: Option<GithubTarget>,
    /// What the signed result names as its subject; default: the diff's digest or the pull
    /// request.
    pub name: Option<String>,
    pub policy_id: Option<PolicyId>,
    pub baseline_id: Option<BaselineId>,
}

/// A pull request to scan through a configured installation.
#[derive(Clone, Debug)]
pub struct GithubTarget {
    pub installation_id: InstallationId,
    pub repository: String,
    pub pull_request: i64,
}

/// A scan just requested; `replayed` when an `Idempotency-Key` gave back an earlier one.
#[derive(Debug)]
pub struct CreatedScan {
    pub scan: ScanRecord,
    pub replayed: bool,
}

pub type Envelope = Vec<u8>;

enum Source {
    Diff(Vec<u8>),
    Github { installation: InstallationId, repository: String, number: i32 },
}

struct Parsed {
    source: Source,
    name: String,
    policy_id: Option<PolicyId>,
    baseline_id: Option<BaselineId>,
    digest: Vec<u8>,
}

fn parse(request: &ScanRequest) -> Result<Parsed, DiffscanError> {
    let given = [request.diff.is_some(), request.diff_base64.is_some(), request.github.is_some()];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(DiffscanError::invalid(
            "diff",
            FieldCode::REQUIRED,
            "send exactly one of diff, diff_base64 and github",
        ));
    }
    let source = match (&request.diff, &request.diff_base64, &request.github) {
        (Some(text), _, _) => Source::Diff(text.as_bytes().to_vec()),
        (_, Some(encoded), _) => {
            Source::Diff(base64::engine::general_purpose::STANDARD.decode(encoded.trim()).map_err(
                |_| DiffscanError::invalid("diff_base64", FieldCode::INVALID_BASE64, "not base64"),
            )?)
        }
        (_, _, Some(target)) => Source::Github {
            installation: target.installation_id,
            repository: input::repository("github.repository", &target.repository)?,
            number: i32::try_from(target.pull_request).ok().filter(|n| *n > 0).ok_or_else(
                || {
                    DiffscanError::invalid(
                        "github.pull_request",
                        FieldCode::OUT_OF_RANGE,
                        "a pull request number from 1",
                    )
                },
            )?,
        },
        (None, None, None) => {
            return Err(DiffscanError::invalid("diff", FieldCode::REQUIRED, "nothing to scan"));
        }
    };
    let name = match &request.name {
        Some(name) => input::name("name", name, 300)?,
        None => match &source {
            Source::Diff(bytes) => format!("diff {}", &hex::encode(Sha256::digest(bytes))[..12]),
            Source::Github { repository, number, .. } => format!("{repository}#{number}"),
        },
    };
    let subject = match &source {
        Source::Diff(bytes) => json!({"diff_sha256": hex::encode(Sha256::digest(bytes))}),
        Source::Github { installation, repository, number } => json!({
            "installation_id": installation,
            "repository": repository.to_ascii_lowercase(),
            "pull_request": number,
        }),
    };
    let canonical = json!({
        "v": 1,
        "subject": subject,
        "name": request.name.as_deref().map(str::trim),
        "policy_id": request.policy_id,
        "baseline_id": request.baseline_id,
    });
    Ok(Parsed {
        source,
        name,
        policy_id: request.policy_id,
        baseline_id: request.baseline_id,
        digest: input::request_digest(&canonical),
    })
}

pub(crate) fn requester(principal: &Principal) -> Requester {
    match principal.actor() {
        Actor::User(id) => Requester { kind: "user".into(), id: Some(id.as_uuid()) },
        Actor::ApiKey(id) => Requester { kind: "api_key".into(), id: Some(id.as_uuid()) },
        Actor::System => Requester { kind: "system".into(), id: None },
    }
}

impl Diffscan {
    /// Requests a scan (see the module documentation). With an `Idempotency-Key` that this
    /// principal used in the last day: the same request answers the original scan, another one
    /// is an `IdempotencyConflict`.
    #[tracing::instrument(skip(self, context, principal, request, idempotency_key))]
    pub async fn create_scan(
        &self,
        context: &RequestContext,
        principal: &Principal,
        request: &ScanRequest,
        idempotency_key: Option<&str>,
    ) -> Result<CreatedScan, DiffscanError> {
        principal.require(Permission::DIFFSCAN_RUN)?;
        let key = idempotency_key.map(input::idempotency_key).transpose()?;
        let parsed = parse(request)?;
        let principal_id = principal.rate_key();
        if let Some(key) = &key
            && let Some(found) =
                self.replay(principal.tenant, principal_id, key, &parsed.digest).await?
        {
            return Ok(found);
        }
        let id = ScanId::generate();
        let object = match &parsed.source {
            Source::Diff(bytes) => {
                let object = ObjectKey::diff(principal.tenant, id);
                self.objects().put(&object, Bytes::from(bytes.clone())).await?;
                Some(object)
            }
            Source::Github { .. } => None,
        };
        let inserted = self
            .insert_scan(context, principal, &parsed, id, object.as_ref(), key.as_deref())
            .await;
        let discard = |object: Option<ObjectKey>| async move {
            if let Some(object) = object
                && let Err(error) = self.objects().delete(&object).await
            {
                tracing::warn!(%error, "could not remove the diff of a scan that was not created");
            }
        };
        match inserted {
            Ok(Some(scan)) => Ok(CreatedScan { scan, replayed: false }),
            Ok(None) => {
                // A concurrent request with the same key committed first.
                discard(object).await;
                let key = key.unwrap_or_default();
                self.replay(principal.tenant, principal_id, &key, &parsed.digest).await?.ok_or_else(
                    || anyhow::anyhow!("an idempotency key was claimed and vanished").into(),
                )
            }
            Err(error) => {
                discard(object).await;
                Err(error)
            }
        }
    }

    /// The scan an `Idempotency-Key` already created, if it is live.
    async fn replay(
        &self,
        tenant: TenantId,
        principal_id: uuid::Uuid,
        key: &str,
        digest: &[u8],
    ) -> Result<Option<CreatedScan>, DiffscanError> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let Some(used) = store::idempotency::find(&mut tx, principal_id, key).await? else {
            return Ok(None);
        };
        if used.request_sha256 != digest {
            return Err(DiffscanError::IdempotencyConflict);
        }
        let scan = store::scans::get(&mut tx, used.scan_id, false)
            .await?
            .ok_or(DiffscanError::NotFound("scan"))?;
        tx.commit().await?;
        Ok(Some(CreatedScan { scan, replayed: true }))
    }

    /// Writes the scan row, claims the key, audits and enqueues; `None` when the key was claimed
    /// by a concurrent request (nothing is written then).
    async fn insert_scan(
        &self,
        context: &RequestContext,
        principal: &Principal,
        parsed: &Parsed,
        id: ScanId,
        object: Option<&ObjectKey>,
        key: Option<&str>,
    ) -> Result<Option<ScanRecord>, DiffscanError> {
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        self.check_references(&mut tx, parsed).await?;
        let diff = match &parsed.source {
            Source::Diff(bytes) => Some((
                hex::encode(Sha256::digest(bytes)),
                i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            )),
            Source::Github { .. } => None,
        };
        let github = match &parsed.source {
            Source::Github { installation, repository, number } => Some(GithubRef {
                installation_id: Some(*installation),
                repository: repository.clone(),
                pull_request: *number,
                head_sha: None,
                check_run_id: None,
                delivery_id: None,
            }),
            Source::Diff(_) => None,
        };
        let requester = requester(principal);
        let retention = chrono::Duration::from_std(self.settings().retention)
            .map_err(|e| DiffscanError::Unexpected(e.into()))?;
        let new = NewScan {
            id,
            source: if github.is_some() { ScanSource::Github } else { ScanSource::Api },
            name: &parsed.name,
            policy_id: parsed.policy_id,
            baseline_id: parsed.baseline_id,
            requester: &requester,
            diff: match (&diff, object) {
                (Some((sha, bytes)), Some(object)) => Some((sha.as_str(), *bytes, object.as_str())),
                _ => None,
            },
            diff_expires_at: Utc::now() + retention,
            github: github.as_ref(),
        };
        let scan = store::scans::insert(&mut tx, &new).await?;
        if let Some(key) = key {
            let expires = Utc::now() + chrono::Duration::hours(IDEMPOTENCY_HOURS);
            let claimed = store::idempotency::claim(
                &mut tx,
                principal.rate_key(),
                key,
                &parsed.digest,
                id,
                expires,
            )
            .await?;
            if !claimed {
                tx.rollback().await?;
                return Ok(None);
            }
        }
        let summary = json!({
            "name": scan.name,
            "source": scan.source.as_str(),
            "diff_sha256": scan.diff.sha256,
            "diff_bytes": scan.diff.bytes,
            "policy_id": scan.policy_id,
            "baseline_id": scan.baseline_id,
            "repository": scan.github.as_ref().map(|g| &g.repository),
            "pull_request": scan.github.as_ref().map(|g| g.pull_request),
            "idempotency_key": key.is_some(),
        });
        let entry = principal.audit(
            context,
            "diffscan.scan.create",
            "diffscan_scan",
            Some(id.to_string()),
            summary,
        );
        audit::record(&mut tx, &entry).await?;
        jobs::enqueue_scan(&mut tx, id).await?;
        tx.commit().await?;
        Ok(Some(scan))
    }

    /// The policy, baseline and installation a request names must be the tenant's.
    async fn check_references(
        &self,
        tx: &mut TenantTx,
        parsed: &Parsed,
    ) -> Result<(), DiffscanError> {
        let unknown = |field: &'static str, what: &str| {
            DiffscanError::invalid(
                field,
                FieldCode::UNKNOWN_REFERENCE,
                format!("no such {what} in this tenant"),
            )
        };
        if let Some(policy) = parsed.policy_id
            && store::policies::get(tx, policy, false).await?.is_none()
        {
            return Err(unknown("policy_id", "policy"));
        }
        if let Some(baseline) = parsed.baseline_id
            && store::baselines::get(tx, baseline, false).await?.is_none()
        {
            return Err(unknown("baseline_id", "baseline"));
        }
        if let Source::Github { installation, .. } = &parsed.source
            && store::github::get(tx, *installation, false).await?.is_none()
        {
            return Err(unknown("github.installation_id", "GitHub installation"));
        }
        Ok(())
    }
}
