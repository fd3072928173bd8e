//! GitHub webhook ingress and its job.
//!
//! Receiving (no principal: the webhook secret is the credential): find the installation by the
//! id in the URL (the one read before the tenant is known), verify `X-Hub-Signature-256` over
//! the raw body in constant time, record the delivery raw (headers and body, kept for replay)
//! under its `X-GitHub-Delivery` GUID, which a unique index accepts once, and enqueue its job, all
//! in one transaction; nothing else happens before the answer, so GitHub gets it at once.
//!
//! The job turns a `pull_request` delivery whose action can change the diff, for a configured
//! and enabled repository, into a queued scan (with the delivery's head commit); anything else is
//! recorded as ignored, with the reason.

use super::Diffscan;
use crate::error::DiffscanError;
use crate::github::payload::{self, PullRequestEvent};
use crate::github::signature;
use crate::jobs;
use crate::model::{
    DeliveryStatus, GithubRef, InstallationId, Requester, ScanId, ScanSource, WebhookDeliveryId,
};
use crate::store::{self, deliveries::NewDelivery, scans::NewScan};
use chrono::Utc;
use platform::access::{Permission, Principal};
use platform::audit::{self, Actor, AuditEntry, RequestContext};
use platform::{FieldCode, TenantId, TenantTx};
use serde_json::json;

/// The headers of a delivery, as received.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebhookHeaders<'a> {
    pub event: Option<&'a str>,
    pub delivery: Option<&'a str>,
    pub signature: Option<&'a str>,
    pub hook_id: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub content_type: Option<&'a str>,
}

/// What became of a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookOutcome {
    /// Recorded; its job will look at it.
    Queued(WebhookDeliveryId),
    /// Recorded; nothing to do (the reason is on the delivery).
    Ignored(WebhookDeliveryId),
    /// This installation already has a delivery with this GUID.
    Duplicate,
}

fn header_word(
    field: &'static str,
    value: Option<&str>,
    extra: &[u8],
) -> Result<String, DiffscanError> {
    let value = value.map(str::trim).unwrap_or_default();
    let valid = (1..=100).contains(&value.len())
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || extra.contains(&b));
    if valid {
        Ok(value.to_string())
    } else {
        Err(DiffscanError::invalid(field, FieldCode::REQUIRED, "missing or not a GitHub value"))
    }
}

impl Diffscan {
    /// Records one webhook delivery for the installation `id` (see the module documentation).
    #[tracing::instrument(skip(self, headers, body), fields(bytes = body.len()))]
    pub async fn receive_webhook(
        &self,
        id: InstallationId,
        headers: &WebhookHeaders<'_>,
        body: &[u8],
    ) -> Result<WebhookOutcome, DiffscanError> {
        let tenant = store::github::tenant_of(self.db(), id)
            .await?
            .ok_or(DiffscanError::NotFound("GitHub installation"))?;
        let keyring = self.keyring().await?;
        let mut tx = self.db().tenant_tx(tenant).await?;
        let installation = store::github::get(&mut tx, id, false)
            .await?
            .ok_or(DiffscanError::NotFound("GitHub installation"))?;
        let secret = keyring
            .open(&super::github::webhook_secret_aad(tenant, id), &installation.webhook_secret)
            .map_err(|e| {
                DiffscanError::Unexpected(anyhow::anyhow!("opening a webhook secret: {e}"))
            })?;
        signature::verify(secret.expose(), body, headers.signature)
            .map_err(DiffscanError::WebhookSignature)?;
        let event = header_word("X-GitHub-Event", headers.event, b"_")?;
        let guid = header_word("X-GitHub-Delivery", headers.delivery, b"-")?;
        let json_body = headers.content_type.is_some_and(|t| {
            t.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
        });
        let (status, detail) = match (event.as_str(), installation.enabled, json_body) {
            (_, false, _) => {
                (DeliveryStatus::Ignored, Some("the installation is disabled".to_string()))
            }
            ("pull_request", true, true) => (DeliveryStatus::Queued, None),
            ("pull_request", true, false) => (
                DeliveryStatus::Failed,
                Some("set the webhook's content type to application/json".to_string()),
            ),
            ("ping", _, _) => (DeliveryStatus::Ignored, Some("ping".to_string())),
            (other, _, _) => {
                (DeliveryStatus::Ignored, Some(format!("{other} events are not scanned")))
            }
        };
        let recorded = json!({
            "x-github-event": event,
            "x-github-delivery": guid,
            "x-github-hook-id": headers.hook_id.map(|v| v.chars().take(100).collect::<String>()),
            "x-hub-signature-256": headers.signature.map(|v| v.chars().take(100).collect::<String>()),
            "user-agent": headers.user_agent.map(|v| v.chars().take(200).collect::<String>()),
            "content-type": headers.content_type.map(|v| v.chars().take(100).collect::<String>()),
        });
        let delivery_id = WebhookDeliveryId::generate();
        let action = payload::action_of(body);
        let new = NewDelivery {
            installation_id: id,
            guid: &guid,
            event: &event,
            action: action.as_deref(),
            headers: &recorded,
            body,
            status,
            detail: detail.as_deref(),
        };
        let Some(delivery_id) = store::deliveries::insert(&mut tx, delivery_id, &new).await? else {
            return Ok(WebhookOutcome::Duplicate);
        };
        let summary = json!({
            "installation_id": id, "delivery": guid, "event": event, "action": action,
            "status": status.as_str(),
        });
        system_audit(
            &mut tx,
            "diffscan.github.delivery",
            "diffscan_github_delivery",
            delivery_id.to_string(),
            summary,
        )
        .await?;
        if status == DeliveryStatus::Queued {
            jobs::enqueue_delivery(&mut tx, delivery_id).await?;
        }
        tx.commit().await?;
        Ok(match status {
            DeliveryStatus::Queued => WebhookOutcome::Queued(delivery_id),
            _ => WebhookOutcome::Ignored(delivery_id),
        })
    }

    /// The delivery job (see the module documentation).
    #[tracing::instrument(skip(self))]
    pub async fn process_delivery(
        &self,
        tenant: TenantId,
        id: WebhookDeliveryId,
    ) -> Result<(), DiffscanError> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let Some(delivery) = store::deliveries::get(&mut tx, id, true).await? else {
            return Ok(());
        };
        if DeliveryStatus::parse(&delivery.status) != Some(DeliveryStatus::Queued) {
            return Ok(());
        }
        let body = store::deliveries::body(&mut tx, id).await?.unwrap_or_default();
        let finish =
            |status: DeliveryStatus, detail: String| (status, Some(detail), None::<ScanId>);
        let (status, detail, scan) = match PullRequestEvent::parse(&body) {
            Err(reason) => finish(DeliveryStatus::Failed, reason),
            Ok(event) if !event.wants_scan() => finish(
                DeliveryStatus::Ignored,
                format!("action `{}` does not change the diff", event.action),
            ),
            Ok(event) => {
                match self.scan_for(&mut tx, delivery.installation_id, id, &event).await? {
                    Ok(scan) => (DeliveryStatus::Processed, None, Some(scan)),
                    Err(reason) => finish(DeliveryStatus::Ignored, reason),
                }
            }
        };
        store::deliveries::finish(&mut tx, id, status, detail.as_deref(), scan).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates the scan of a `pull_request` event, or says why none is due.
    async fn scan_for(
        &self,
        tx: &mut TenantTx,
        installation_id: InstallationId,
        delivery: WebhookDeliveryId,
        event: &PullRequestEvent,
    ) -> Result<Result<ScanId, String>, DiffscanError> {
        let Some(installation) = store::github::get(tx, installation_id, false).await? else {
            return Ok(Err("the installation was deleted".into()));
        };
        if !installation.enabled {
            return Ok(Err("the installation is disabled".into()));
        }
        let repository =
            store::github::find_repository(tx, installation_id, &event.repository).await?;
        match &repository {
            None => {
                return Ok(Err(format!("the repository {} is not configured", event.repository)));
            }
            Some(repository) if !repository.enabled => {
                return Ok(Err(format!("the repository {} is disabled", event.repository)));
            }
            Some(_) => {}
        }
        let id = ScanId::generate();
        let retention = chrono::Duration::from_std(self.settings().retention)
            .map_err(|e| DiffscanError::Unexpected(e.into()))?;
        let github = GithubRef {
            installation_id: Some(installation_id),
            repository: event.repository.clone(),
            pull_request: event.number,
            head_sha: Some(event.head_sha.clone()),
            check_run_id: None,
            delivery_id: Some(delivery),
        };
        let name = format!("{}#{}@{}", event.repository, event.number, &event.head_sha[..12]);
        let requester = Requester { kind: "github".into(), id: None };
        let new = NewScan {
            id,
            source: ScanSource::Github,
            name: &name,
            policy_id: None,
            baseline_id: None,
            requester: &requester,
            diff: None,
            diff_expires_at: Utc::now() + retention,
            github: Some(&github),
        };
        store::scans::insert(tx, &new).await?;
        let summary = json!({
            "name": name, "source": "github", "repository": event.repository,
            "pull_request": event.number, "head_sha": event.head_sha, "delivery_id": delivery,
        });
        system_audit(tx, "diffscan.scan.create", "diffscan_scan", id.to_string(), summary).await?;
        jobs::enqueue_scan(tx, id).await?;
        Ok(Ok(id))
    }

    /// Queues a stored delivery again, as if it had just arrived (its verified raw body is
    /// processed anew).
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn replay_delivery(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: WebhookDeliveryId,
    ) -> Result<(), DiffscanError> {
        principal.require(Permission::DIFFSCAN_RUN)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let delivery = store::deliveries::get(&mut tx, id, true)
            .await?
            .ok_or(DiffscanError::NotFound("webhook delivery"))?;
        if store::deliveries::body(&mut tx, id).await?.is_none() {
            return Err(DiffscanError::Conflict(
                "retention removed this delivery's body; it cannot be replayed".into(),
            ));
        }
        store::deliveries::requeue(&mut tx, id).await?;
        jobs::enqueue_delivery(&mut tx, id).await?;
        let summary = json!({"delivery": delivery.delivery_guid, "event": delivery.event});
        let entry = principal.audit(
            context,
            "diffscan.github.replay",
            "diffscan_github_delivery",
            Some(id.to_string()),
            summary,
        );
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn system_audit(
    tx: &mut TenantTx,
    action: &str,
    target_type: &str,
    target_id: String,
    summary: serde_json::Value,
) -> Result<(), DiffscanError> {
    let context = RequestContext::default();
    let entry = AuditEntry {
        actor: Actor::System,
        action,
        target_type,
        target_id: Some(target_id),
        context: &context,
        summary,
    };
    audit::record(tx, &entry).await?;
    Ok(())
}
