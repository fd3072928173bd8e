//! The dispatcher: the relay's background loop in every process that runs workers. It claims due
//! deliveries in batches across tenants, sends them concurrently, and records their outcomes in
//! batches per tenant (sends that finish within `GATHER` of each other together, written while
//! the loop claims again), woken by the outbox's NOTIFY at commit and otherwise when the next
//! retry falls due (or every `poll_interval`, whichever is sooner). While sends at their caps hold
//! due rows back, commits do not wake it: a finished send does, or the poll interval.
//!
//! Capacity is shared fairly: at most `max_in_flight` sends at once in this process, at most
//! `per_tenant` of one tenant and `per_channel` of one channel, so a tenant whose receivers hang
//! until the send timeout holds `per_tenant` sends and nothing more. It must not hold a database
//! transaction or connection while a send is in flight.

use super::attempt::{Decided, Work};
use crate::error::NotifyError;
use crate::service::Notify;
use crate::store::queue::{self, ClaimLimits, Due};
use platform::jobs::Stopping;
use platform::outbox::RELAY_CHANNEL;
use platform::{ChannelId, TenantId};
use sqlx::postgres::PgListener;
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use tokio::task::JoinSet;
use tokio::time::Instant;

/// How long the loop waits, once a send has finished, for others to finish with it: their
/// outcomes are recorded in one transaction and their places refilled by one claim, instead of
/// a claim and two transactions for every send.
const GATHER: Duration = Duration::from_millis(2);

/// Outcome transactions under way at once; past this the loop waits for one to end.
const MAX_RECORDING: usize = 4;

/// The smallest claim the loop asks for (see `InFlight::batch`).
const MIN_BATCH: usize = 16;

/// How the dispatcher shares its capacity (`[relay]`).
#[derive(Clone, Debug)]
pub struct RelaySettings {
    /// Sends in flight at once in one process.
    pub max_in_flight: usize,
    /// Sends in flight at once for one tenant.
    pub per_tenant: usize,
    /// Sends in flight at once to one channel.
    pub per_channel: usize,
    /// The longest the dispatcher sleeps without looking for due deliveries.
    pub poll_interval: Duration,
    /// What a claim's lease adds to twice the send timeout.
    pub lease_margin: Duration,
}

impl Default for RelaySettings {
    fn default() -> Self {
        Self {
            max_in_flight: 128,
            per_tenant: 32,
            per_channel: 16,
            poll_interval: Duration::from_secs(1),
            lease_margin: Duration::from_secs(30),
        }
    }
}

impl RelaySettings {
    /// How long a claim holds a delivery: twice the send timeout and a margin, so that only a
    /// sender that died loses its claim.
    pub fn lease(&self, send_timeout: Duration) -> Duration {
        send_timeout * 2 + self.lease_margin
    }

    pub fn read(src: &mut platform::config::Source<'_>) -> RelaySettings {
        let defaults = RelaySettings::default();
        RelaySettings {
            max_in_flight: src.number(
                "relay.max_in_flight",
                &["PALISADE_RELAY_MAX_IN_FLIGHT"],
                defaults.max_in_flight,
                1..=10_000,
            ),
            per_tenant: src.number(
                "relay.per_tenant",
                &["PALISADE_RELAY_PER_TENANT"],
                defaults.per_tenant,
                1..=10_000,
            ),
            per_channel: src.number(
                "relay.per_channel",
                &["PALISADE_RELAY_PER_CHANNEL"],
                defaults.per_channel,
                1..=10_000,
            ),
            ..defaults
        }
    }
}

/// Sends in flight and how they are spread.
#[derive(Default)]
struct InFlight {
    tasks: JoinSet<(Work, Result<(), crate::send::SendError>)>,
    tenants: HashMap<TenantId, usize>,
    channels: HashMap<ChannelId, usize>,
    /// How many rows the next claim asks for: twice what the last one got, at least
    /// `MIN_BATCH`, at most the room left. A claim ranks a few times its size of the oldest due
    /// rows; asking for all the room when the caps let through a tenth of it (one busy channel)
    /// made the claim the relay's largest cost.
    batch: usize,
}

impl InFlight {
    fn busy(&self, settings: &RelaySettings) -> (Vec<TenantId>, Vec<ChannelId>) {
        let tenants = self.tenants.iter().filter(|(_, n)| **n >= settings.per_tenant);
        let channels = self.channels.iter().filter(|(_, n)| **n >= settings.per_channel);
        (tenants.map(|(t, _)| *t).collect(), channels.map(|(c, _)| *c).collect())
    }

    /// Whether some tenant or channel is at its cap of sends in flight.
    fn at_a_cap(&self, settings: &RelaySettings) -> bool {
        self.tenants.values().any(|n| *n >= settings.per_tenant)
            || self.channels.values().any(|n| *n >= settings.per_channel)
    }

    fn count(&mut self, tenant: TenantId, channel: ChannelId, up: bool) {
        for n in
            [self.tenants.entry(tenant).or_default(), self.channels.entry(channel).or_default()]
        {
            *n = if up { *n + 1 } else { n.saturating_sub(1) };
        }
        self.tenants.retain(|_, n| *n > 0);
        self.channels.retain(|_, n| *n > 0);
    }
}

pub(super) async fn run(notify: Notify, mut stopping: Stopping) {
    let mut listener = listen(&notify).await;
    let settings = notify.settings().relay.clone();
    let mut in_flight = InFlight::default();
    let mut recording = JoinSet::new();
    let mut look = true;
    let mut capped = false;
    let mut wake_at = Instant::now();
    tracing::debug!(max_in_flight = settings.max_in_flight, "delivery relay started");
    loop {
        if look && !stopping.is_stopping() {
            wake_at = match fill(&notify, &settings, &mut in_flight).await {
                Ok(looked) => {
                    capped = looked.capped;
                    looked.next.unwrap_or_else(|| Instant::now() + settings.poll_interval)
                }
                Err(e) => {
                    tracing::error!(error = %e, "claiming deliveries failed; retrying shortly");
                    Instant::now() + Duration::from_millis(500)
                }
            };
            wake_at = wake_at.min(Instant::now() + settings.poll_interval);
            look = false;
        }
        if stopping.is_stopping() && in_flight.tasks.is_empty() && recording.is_empty() {
            break;
        }
        tokio::select! {
            () = stopping.wait(), if !stopping.is_stopping() => {}
            Some(finished) = in_flight.tasks.join_next(), if !in_flight.tasks.is_empty() => {
                let decided = gather(&notify, &mut in_flight, finished).await;
                // Outcomes are written while the freed places are claimed again.
                while recording.len() >= MAX_RECORDING {
                    recording.join_next().await;
                }
                let recorder = notify.clone();
                recording.spawn(async move { record(&recorder, decided).await });
                look = true;
            }
            Some(_) = recording.join_next(), if !recording.is_empty() => {}
            woken = recv(&mut listener) => {
                if !woken {
                    listener = None;
                }
                // While sends at their caps hold due rows back, looking at every commit would
                // scan the held-back rows once per commit (measured: a third of the throughput,
                // even when looking only every 50 or 250 ms). A finished send looks at once, and
                // the poll interval bounds the wait when every send in flight hangs.
                look = !capped;
            }
            () = tokio::time::sleep_until(wake_at) => {
                if listener.is_none() {
                    listener = listen(&notify).await;
                }
                look = true;
            }
        }
    }
    tracing::info!("delivery relay stopped");
}

/// The outcomes of `first` and of the sends that finish with it (within `GATHER`), their places
/// given back to their tenant and channel.
async fn gather(
    notify: &Notify,
    in_flight: &mut InFlight,
    first: Result<(Work, Result<(), crate::send::SendError>), tokio::task::JoinError>,
) -> Vec<(TenantId, Decided)> {
    let until = Instant::now() + GATHER;
    let mut decided = Vec::new();
    let mut next = Some(first);
    while let Some(finished) = next {
        if let Ok((work, sent)) = finished {
            in_flight.count(work.tenant, work.claimed.channel_id, false);
            decided.push((work.tenant, notify.decide(&work, sent)));
        }
        next = match in_flight.tasks.try_join_next() {
            Some(finished) => Some(finished),
            None if in_flight.tasks.is_empty() => None,
            None => {
                tokio::time::timeout_at(until, in_flight.tasks.join_next()).await.ok().flatten()
            }
        };
    }
    decided
}

/// What a look at the queue found.
struct Looked {
    /// When to look again at the latest, if nothing wakes the loop sooner.
    next: Option<Instant>,
    /// Whether sends at a cap (of the process, a tenant or a channel) may be holding due rows
    /// back: then only a finished send frees them.
    capped: bool,
}

/// Claims and starts as many due deliveries as the caps allow.
async fn fill(
    notify: &Notify,
    settings: &RelaySettings,
    in_flight: &mut InFlight,
) -> Result<Looked, NotifyError> {
    let pool = notify.db().pool();
    let lease = settings.lease(notify.settings().send_timeout);
    loop {
        let room = settings.max_in_flight.saturating_sub(in_flight.tasks.len());
        if room == 0 {
            return Ok(Looked { next: None, capped: true });
        }
        let batch = in_flight.batch.max(MIN_BATCH).min(room);
        let (busy_tenants, busy_channels) = in_flight.busy(settings);
        let (tenants, per_tenant) = counts(&in_flight.tenants);
        let (channels, per_channel) = counts(&in_flight.channels);
        let limits = ClaimLimits {
            batch: batch as i64,
            per_tenant: settings.per_tenant as i64,
            per_channel: settings.per_channel as i64,
            lease,
            busy_tenants: &busy_tenants,
            busy_channels: &busy_channels,
            tenants_in_flight: (&tenants, &per_tenant),
            channels_in_flight: (&channels, &per_channel),
        };
        let claimed = queue::claim(pool, &limits).await?;
        let full = claimed.len() == batch;
        in_flight.batch = claimed.len() * 2;
        if claimed.is_empty() {
            return Ok(settle(notify, settings, in_flight, &limits).await);
        }
        // The claim counted what is in flight against the caps, so every row it took fits: each
        // reserves its place now, and one that does not become a send gives it back after
        // `begin`.
        let mut by_tenant: HashMap<TenantId, Vec<Due>> = HashMap::new();
        for due in claimed {
            in_flight.count(due.tenant_id, due.channel_id, true);
            by_tenant.entry(due.tenant_id).or_default().push(due);
        }
        for (tenant, dues) in by_tenant {
            let begun = match notify.begin(tenant, &dues).await {
                Ok(begun) => begun,
                Err(e) => {
                    for due in &dues {
                        in_flight.count(due.tenant_id, due.channel_id, false);
                    }
                    return Err(e);
                }
            };
            let sending: HashSet<_> = begun.work.iter().map(|w| w.claimed.id).collect();
            for due in dues.iter().filter(|d| !sending.contains(&d.delivery_id)) {
                in_flight.count(due.tenant_id, due.channel_id, false);
            }
            for work in begun.work {
                let sender = notify.clone();
                in_flight.tasks.spawn(async move {
                    let sent = sender.perform(&work).await;
                    (work, sent)
                });
            }
        }
        // Claiming again while a tenant or channel is at its cap would walk past all its due
        // rows to find others; a finished send looks again instead.
        if !full || in_flight.at_a_cap(settings) {
            return Ok(settle(notify, settings, in_flight, &limits).await);
        }
    }
}

/// The keys of `in_flight` and their counts, as two arrays for the claim.
fn counts<K: Copy>(in_flight: &HashMap<K, usize>) -> (Vec<K>, Vec<i64>) {
    in_flight.iter().map(|(key, n)| (*key, *n as i64)).unzip()
}

/// After a claim that took less than there was room for: whether caps hold rows back, and when
/// to look again. With sends in flight their ends wake the loop (and the poll interval bounds
/// the wait for a retry falling due meanwhile), so the queue is asked for its next due row only
/// when nothing is in flight; that asking skips the rows of busy tenants and channels, which
/// would otherwise be due now and have the loop spin.
async fn settle(
    notify: &Notify,
    settings: &RelaySettings,
    in_flight: &InFlight,
    limits: &ClaimLimits<'_>,
) -> Looked {
    let capped = in_flight.at_a_cap(settings);
    let next = if in_flight.tasks.is_empty() { next_due(notify, limits).await } else { None };
    Looked { next, capped }
}

/// When the queue's next unleased row outside busy tenants and channels falls due (capped by
/// the poll interval by the caller).
async fn next_due(notify: &Notify, limits: &ClaimLimits<'_>) -> Option<Instant> {
    let next = queue::next_due(notify.db().pool(), limits).await.ok().flatten()?;
    let wait = (next - chrono::Utc::now()).to_std().unwrap_or(Duration::ZERO);
    Some(Instant::now() + wait)
}

/// Records outcomes, one transaction per tenant. A failure is logged: the deliveries stay under
/// their lease and are claimed again when it expires (at least once).
async fn record(notify: &Notify, decided: Vec<(TenantId, Decided)>) {
    let mut by_tenant: HashMap<TenantId, Vec<Decided>> = HashMap::new();
    for (tenant, decided) in decided {
        by_tenant.entry(tenant).or_default().push(decided);
    }
    for (tenant, decided) in by_tenant {
        if let Err(e) = notify.finish(tenant, decided).await {
            tracing::error!(%tenant, error = %e, "recording delivery outcomes failed");
        }
    }
}

/// A listener on the relay's wake-up channel; `None` while the database is unreachable (the poll
/// interval then does the waking).
async fn listen(notify: &Notify) -> Option<PgListener> {
    let mut listener = PgListener::connect_with(notify.db().pool()).await.ok()?;
    listener.listen(RELAY_CHANNEL).await.ok()?;
    Some(listener)
}

/// Waits for a wake-up; `false` when the listener is gone (and pends forever without one).
/// Wake-ups already buffered are taken with it: every commit that queued a delivery sends one,
/// and one look at the queue answers them all.
async fn recv(listener: &mut Option<PgListener>) -> bool {
    match listener {
        Some(listener) => {
            let woken = listener.recv().await.is_ok();
            while listener.next_buffered().is_some() {}
            woken
        }
        None => std::future::pending().await,
    }
}
