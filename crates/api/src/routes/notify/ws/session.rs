//! One upgraded live-feed socket, from its credential to its close: authenticates (or waits for
//! the first message), joins the tenant's room, forwards its messages in bursts, pings, re-checks
//! the credential, and closes with the reason the protocol names (`notify::feed::protocol::Close`).
//!
//! It must not log the credential nor keep a message the room dropped: a lagging socket is closed.

use super::Offered;
use axum::body::Bytes;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use edge::AppState;
use futures_util::SinkExt;
use identity::AuthError;
use notify::feed::protocol::{self, AuthMessage, Close};
use notify::feed::{FeedSettings, Received, Subscription};
use platform::TenantId;
use platform::access::{Credential, Permission, Principal};
use std::time::Duration;
use tokio::time::{Instant, MissedTickBehavior, interval_at, sleep_until, timeout};

/// Messages already waiting in the room that are written together, with one flush.
const BURST: usize = 64;
/// How long a closing socket waits for the client's close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

pub(super) async fn session(state: AppState, mut socket: WebSocket, offered: Option<Offered>) {
    let settings = state.services.feed.settings().clone();
    let offered = match offered {
        Some(offered) => offered,
        None => match first_message(&mut socket, settings.auth_timeout).await {
            Some(offered) => offered,
            None => return close(socket, Close::AUTH_REQUIRED).await,
        },
    };
    let principal = match check(&state, &offered).await {
        Ok(principal) => principal,
        Err(refusal) => {
            let refusal =
                if refusal == Close::CREDENTIAL_LOST { Close::UNAUTHENTICATED } else { refusal };
            return close(socket, refusal).await;
        }
    };
    let tenant = principal.tenant;
    // Joined before `ready`, so that every event committed after `ready` arrives.
    let mut room = state.services.feed.subscribe(tenant);
    let ready = send(&mut socket, protocol::ready(tenant), settings.send_timeout).await;
    tracing::info!(%tenant, "live feed socket opened");
    let outcome = match ready {
        Ok(()) => pump(&state, &settings, &mut socket, &mut room, &offered, &principal).await,
        Err(outcome) => outcome,
    };
    drop(room);
    match outcome {
        Some(reason) => {
            tracing::info!(%tenant, code = reason.code, reason = reason.reason, "live feed socket closed");
            close(socket, reason).await;
        }
        None => tracing::info!(%tenant, "live feed socket gone"),
    }
}

/// Forwards the room to the socket until one of them ends: `Some(reason)` to close with, or
/// `None` when the client went away.
async fn pump(
    state: &AppState,
    settings: &FeedSettings,
    socket: &mut WebSocket,
    room: &mut Subscription,
    offered: &Offered,
    principal: &Principal,
) -> Option<Close> {
    let start = Instant::now();
    let mut ping = interval_at(start + settings.ping_interval, settings.ping_interval);
    let mut recheck = interval_at(start + settings.recheck_interval, settings.recheck_interval);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    recheck.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut expires = expiry(principal);
    // Made once: a timer registered anew on every message would cost each delivery a lock.
    let expiry = sleep_until(expires.unwrap_or(start));
    tokio::pin!(expiry);
    let mut heard = Instant::now();
    loop {
        tokio::select! {
            received = room.recv() => {
                if let Err(outcome) = forward(socket, room, received, settings.send_timeout).await {
                    return outcome;
                }
            }
            incoming = socket.recv() => match incoming {
                // Pings are answered by the protocol layer; a close is answered there too and the
                // next receive ends the loop.
                Some(Ok(_)) => heard = Instant::now(),
                None | Some(Err(_)) => return None,
            },
            _ = ping.tick() => {
                if heard.elapsed() >= settings.idle_timeout {
                    return Some(Close::HEARTBEAT);
                }
                let ping = timeout(settings.send_timeout, socket.send(Message::Ping(Bytes::new()))).await;
                match ping {
                    Ok(Ok(())) => {}
                    Ok(Err(_)) => return None,
                    Err(_) => return Some(Close::TOO_SLOW),
                }
            }
            _ = recheck.tick() => {
                let current = check(state, offered).await;
                if let Some(reason) = still_valid(current, principal.tenant) {
                    return Some(reason);
                }
            }
            () = &mut expiry, if expires.is_some() => {
                expires = None;
                if let Some(reason) = still_valid(check(state, offered).await, principal.tenant) {
                    return Some(reason);
                }
            }
        }
    }
}

/// Authenticates the credential now and checks that it may read events.
async fn check(state: &AppState, offered: &Offered) -> Result<Principal, Close> {
    match state.services.identity.authenticate(offered.token.expose(), offered.tenant).await {
        Ok(principal) if principal.can(Permission::EVENTS_VIEW) => Ok(principal),
        Ok(_) => Err(Close::FORBIDDEN),
        Err(AuthError::Unexpected(cause)) => {
            tracing::warn!(error = %cause, "checking a live feed credential failed");
            Err(Close::UNAVAILABLE)
        }
        Err(_) => Err(Close::CREDENTIAL_LOST),
    }
}

/// Whether a later check keeps the socket open. A database hiccup does not end it; the next check
/// decides.
fn still_valid(checked: Result<Principal, Close>, tenant: TenantId) -> Option<Close> {
    match checked {
        Ok(principal) if principal.tenant == tenant => None,
        Ok(_) => Some(Close::CREDENTIAL_LOST),
        Err(Close::UNAVAILABLE) => None,
        Err(reason) => Some(reason),
    }
}

/// When an access token expires (API keys are caught by the periodic check).
fn expiry(principal: &Principal) -> Option<Instant> {
    let Credential::AccessToken { expires_at, .. } = principal.credential else { return None };
    let left = expires_at.saturating_sub(chrono::Utc::now().timestamp());
    // A second past `exp`, so that the check sees it expired.
    Some(Instant::now() + Duration::from_secs(u64::try_from(left).unwrap_or(0) + 1))
}

/// The credential of the first message, if it comes in time.
async fn first_message(socket: &mut WebSocket, within: Duration) -> Option<Offered> {
    let deadline = Instant::now() + within;
    loop {
        match timeout(deadline.saturating_duration_since(Instant::now()), socket.recv()).await {
            Ok(Some(Ok(Message::Text(text)))) => {
                let message = AuthMessage::parse(text.as_str())?;
                return Some(Offered { token: message.token, tenant: message.tenant_id });
            }
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            _ => return None,
        }
    }
}

/// Writes `first` and what else already waits in the room (up to `BURST`), then flushes once;
/// `Err` carries how the session ends.
async fn forward(
    socket: &mut WebSocket,
    room: &mut Subscription,
    first: Received,
    within: Duration,
) -> Result<(), Option<Close>> {
    let writing = async {
        let mut next = Some(first);
        let mut written = 0;
        while let Some(received) = next.take() {
            match received {
                Received::Message(text) => {
                    if let Ok(text) = Utf8Bytes::try_from(text) {
                        socket.feed(Message::Text(text)).await.map_err(|_| None)?;
                    }
                }
                Received::TooSlow => return Err(Some(Close::TOO_SLOW)),
                Received::Closed => return Err(Some(Close::SHUTDOWN)),
            }
            written += 1;
            if written < BURST {
                next = room.try_recv();
            }
        }
        socket.flush().await.map_err(|_| None)
    };
    timeout(within, writing).await.unwrap_or(Err(Some(Close::TOO_SLOW)))
}

/// Sends one feed message; `Err` carries how the session ends when it cannot.
async fn send(socket: &mut WebSocket, text: Bytes, within: Duration) -> Result<(), Option<Close>> {
    let Ok(text) = Utf8Bytes::try_from(text) else { return Ok(()) };
    match timeout(within, socket.send(Message::Text(text))).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(None),
        Err(_) => Err(Some(Close::TOO_SLOW)),
    }
}

/// Sends the close frame and waits briefly for the client's, so that the reason arrives.
async fn close(mut socket: WebSocket, reason: Close) {
    let frame = CloseFrame { code: reason.code, reason: Utf8Bytes::from_static(reason.reason) };
    let closing = async {
        if socket.send(Message::Close(Some(frame))).await.is_err() {
            return;
        }
        while let Some(Ok(_)) = socket.recv().await {}
    };
    let _ = timeout(CLOSE_GRACE, closing).await;
}
