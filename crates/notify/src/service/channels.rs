//! Managing channels: create (a webhook's signing secret is generated and returned this once),
//! list, show, change, delete, and send a test event through the real delivery path. Secrets are
//! sealed before they reach the database and never leave it again through here; audit summaries
//! name the host, never a URL or a secret.

use super::Notify;
use super::input::{self, ChannelInput, SecretChange};
use crate::crypto::channel_aad;
use crate::error::NotifyError;
use crate::model::{Channel, ChannelKind};
use crate::send::webhook;
use crate::store::{self, channels::ChannelValues};
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::outbox::{self, Event, Severity};
use platform::sealing::{Keyring, Sealed};
use platform::{ChannelId, DeliveryId, EventId, Page, PageRequest, Secret, TenantId};
use serde_json::json;

/// Channels one tenant may have.
pub const MAX_CHANNELS: i64 = 100;
/// The type of the event `test_channel` sends.
pub const TEST_EVENT_TYPE: &str = "notify.test";

/// Test sends one channel accepts per minute.
pub const TEST_SENDS_PER_MINUTE: usize = 5;

/// A channel just created, and its webhook signing secret (shown this once).
#[derive(Debug)]
pub struct CreatedChannel {
    pub channel: Channel,
    pub secret: Option<Secret<String>>,
}

/// The test event and its one delivery, queued for the relay.
#[derive(Debug, Clone, Copy)]
pub struct TestSent {
    pub event_id: EventId,
    pub delivery_id: DeliveryId,
}

impl Notify {
    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn create_channel(
        &self,
        context: &RequestContext,
        principal: &Principal,
        input: &ChannelInput,
    ) -> Result<CreatedChannel, NotifyError> {
        principal.require(Permission::CHANNELS_MANAGE)?;
        let mut draft = input::new_channel(self.sender(), input).await?;
        let mut shown = None;
        if draft.settings.kind() == ChannelKind::Webhook {
            let secret = webhook::generate_secret();
            shown = Some(secret.clone());
            draft.secret = SecretChange::Set(secret);
        }
        let (tenant, id) = (principal.tenant, ChannelId::generate());
        let sealed = seal(self.keyring().await?, tenant, id, &draft.secret, None)?;
        let mut tx = self.db().tenant_tx(tenant).await?;
        if store::channels::count(&mut tx).await? >= MAX_CHANNELS {
            return Err(NotifyError::Conflict(format!(
                "a tenant can have at most {MAX_CHANNELS} channels; delete one first"
            )));
        }
        let values = ChannelValues {
            name: &draft.name,
            enabled: draft.enabled,
            event_types: &draft.event_types,
            min_severity: draft.min_severity,
            settings: &draft.settings,
            sealed: sealed.as_ref(),
        };
        let channel = store::channels::insert(&mut tx, id, &values).await?;
        record(&mut tx, context, principal, "channel.create", &channel).await?;
        tx.commit().await?;
        Ok(CreatedChannel { channel, secret: shown })
    }

    /// A page of the tenant's channels, newest first.
    #[tracing::instrument(skip(self, principal))]
    pub async fn list_channels(
        &self,
        principal: &Principal,
        page: &PageRequest,
    ) -> Result<Page<Channel>, NotifyError> {
        principal.require(Permission::CHANNELS_MANAGE)?;
        let before: Option<ChannelId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::channels::list(&mut tx, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |channel| channel.id))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn channel(
        &self,
        principal: &Principal,
        id: ChannelId,
    ) -> Result<Channel, NotifyError> {
        principal.require(Permission::CHANNELS_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let channel = store::channels::get(&mut tx, id, false).await?;
        tx.commit().await?;
        channel.ok_or(NotifyError::NotFound("channel"))
    }

    /// Changes a channel. A new URL or SMTP host is checked by the SSRF guard again; a secret
    /// sealed with an older key is sealed again with the current one.
    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn update_channel(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: ChannelId,
        input: &ChannelInput,
    ) -> Result<Channel, NotifyError> {
        principal.require(Permission::CHANNELS_MANAGE)?;
        let tenant = principal.tenant;
        let keyring = self.keyring().await?;
        let mut tx = self.db().tenant_tx(tenant).await?;
        let current = store::channels::get(&mut tx, id, true)
            .await?
            .ok_or(NotifyError::NotFound("channel"))?;
        let draft = input::changed_channel(self.sender(), &current, input).await?;
        let sealed = seal(keyring, tenant, id, &draft.secret, current.sealed.as_ref())?;
        let values = ChannelValues {
            name: &draft.name,
            enabled: draft.enabled,
            event_types: &draft.event_types,
            min_severity: draft.min_severity,
            settings: &draft.settings,
            sealed: sealed.as_ref(),
        };
        let channel = store::channels::update(&mut tx, id, &values).await?;
        record(&mut tx, context, principal, "channel.update", &channel).await?;
        tx.commit().await?;
        Ok(channel)
    }

    /// Deletes a channel and its deliveries (events stay).
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn delete_channel(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: ChannelId,
    ) -> Result<(), NotifyError> {
        principal.require(Permission::CHANNELS_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let channel =
            store::channels::delete(&mut tx, id).await?.ok_or(NotifyError::NotFound("channel"))?;
        record(&mut tx, context, principal, "channel.delete", &channel).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a `notify.test` event with one delivery, to this channel only, queued for the
    /// relay through the outbox: the same path as every other event. At most
    /// `TEST_SENDS_PER_MINUTE` per channel, so that tests cannot flood a receiver (or the relay).
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn test_channel(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: ChannelId,
    ) -> Result<TestSent, NotifyError> {
        principal.require(Permission::CHANNELS_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let channel = store::channels::get(&mut tx, id, false)
            .await?
            .ok_or(NotifyError::NotFound("channel"))?;
        if !channel.enabled {
            return Err(NotifyError::Conflict(
                "the channel is disabled; enable it to test it".into(),
            ));
        }
        let recent = store::deliveries::recent_tests(&mut tx, id, TEST_EVENT_TYPE).await?;
        if recent.len() >= TEST_SENDS_PER_MINUTE {
            let oldest = recent.iter().min().copied().unwrap_or_else(chrono::Utc::now);
            let wait = (oldest + chrono::Duration::minutes(1) - chrono::Utc::now()).to_std();
            return Err(NotifyError::TooMany {
                message: format!(
                    "a channel can be tested {TEST_SENDS_PER_MINUTE} times a minute; wait a moment"
                ),
                retry_after: wait.unwrap_or(std::time::Duration::from_secs(1)),
            });
        }
        let subject = format!("Test notification for channel {}", channel.name);
        let event = Event {
            kind: TEST_EVENT_TYPE,
            severity: Severity::Info,
            subject: &subject,
            payload: json!({ "channel_id": channel.id, "channel_name": channel.name, "test": true }),
        };
        let emitted = outbox::emit_to_channel(&mut tx, &event, id).await?;
        let delivery_id = emitted.deliveries.first().copied().ok_or_else(|| {
            NotifyError::Unexpected(anyhow::anyhow!(
                "the test event of channel {id} has no delivery"
            ))
        })?;
        let sent = TestSent { event_id: emitted.event_id, delivery_id };
        record(&mut tx, context, principal, "channel.test", &channel).await?;
        tx.commit().await?;
        Ok(sent)
    }
}

/// The sealed secret a channel row should hold after `change`.
fn seal(
    keyring: &Keyring,
    tenant: TenantId,
    id: ChannelId,
    change: &SecretChange,
    existing: Option<&Sealed>,
) -> Result<Option<Sealed>, NotifyError> {
    let aad = channel_aad(tenant, id);
    let sealed = match (change, existing) {
        (SecretChange::Clear, _) | (SecretChange::Keep, None) => return Ok(None),
        (SecretChange::Set(secret), _) => keyring.seal(&aad, secret.expose().as_bytes()),
        (SecretChange::Keep, Some(old)) if old.key_id == keyring.current_id() => {
            return Ok(Some(old.clone()));
        }
        // Sealed with an older key: seal again with the current one when it still opens.
        (SecretChange::Keep, Some(old)) => {
            match keyring.open(&aad, old).and_then(|plain| keyring.seal(&aad, plain.expose())) {
                Ok(resealed) => Ok(resealed),
                Err(e) => {
                    tracing::warn!(error = %e, channel = %id, "kept a secret that does not open");
                    Ok(old.clone())
                }
            }
        }
    };
    sealed.map(Some).map_err(|e| NotifyError::Unexpected(anyhow::Error::new(e)))
}

async fn record(
    tx: &mut platform::TenantTx,
    context: &RequestContext,
    principal: &Principal,
    action: &str,
    channel: &Channel,
) -> Result<(), NotifyError> {
    let summary = json!({
        "name": channel.name,
        "kind": channel.kind().as_str(),
        "host": channel.settings.host(),
        "enabled": channel.enabled,
        "event_types": channel.event_types,
        "min_severity": channel.min_severity.as_str(),
    });
    let entry = principal.audit(context, action, "channel", Some(channel.id.to_string()), summary);
    audit::record(tx, &entry).await?;
    Ok(())
}
