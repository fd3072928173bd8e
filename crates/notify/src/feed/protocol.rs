//! The live feed's wire protocol, independent of any WebSocket library: the JSON text messages
//! the server sends, the one message a client may send (its credential), and the close codes.
//! The api crate speaks it over `/v1/ws`; docs/notifications.md ("Live feed") documents it.
//!
//! Messages carry an event's summary only (id, type, severity, title, time); its payload stays
//! behind `GET /v1/events/{id}`. Nothing here may ever echo a credential.

use super::store::FeedEvent;
use bytes::Bytes;
use platform::{Secret, TenantId};
use serde::Deserialize;
use serde_json::json;

/// The subprotocol a browser names to pass its access token in `Sec-WebSocket-Protocol`
/// (`palisade.bearer, <token>`); the server answers with this one alone.
pub const BEARER_PROTOCOL: &str = "palisade.bearer";

/// Why the server closes a socket: a WebSocket close code and its reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Close {
    pub code: u16,
    pub reason: &'static str,
}

impl Close {
    /// No credential arrived in time, or the first message was not `{"type":"auth",…}`.
    pub const AUTH_REQUIRED: Close = Close { code: 4401, reason: "authentication required" };
    /// The credential was refused when the socket opened.
    pub const UNAUTHENTICATED: Close = Close { code: 4401, reason: "credential not valid" };
    /// The credential was refused at a later check: logged out, revoked, expired, user blocked.
    pub const CREDENTIAL_LOST: Close = Close { code: 4401, reason: "credential no longer valid" };
    /// The principal may not read events (`EVENTS_VIEW`).
    pub const FORBIDDEN: Close =
        Close { code: 4403, reason: "the EVENTS_VIEW permission is required" };
    /// The socket fell too far behind its room, or one message could not leave in time.
    pub const TOO_SLOW: Close = Close { code: 4000, reason: "too slow" };
    /// Nothing, not even a pong, arrived within the idle timeout.
    pub const HEARTBEAT: Close = Close { code: 4408, reason: "no heartbeat" };
    /// The server is shutting down; reconnect (to another replica).
    pub const SHUTDOWN: Close = Close { code: 1001, reason: "server shutting down" };
    /// The server could not check the credential (database unavailable); reconnect later.
    pub const UNAVAILABLE: Close = Close { code: 1011, reason: "temporarily unavailable" };
}

/// The credential a client sends as its first message:
/// `{"type": "auth", "token": "<access token or API key>", "tenant_id": "<optional>"}`.
/// `tenant_id` lets a global administrator watch another tenant (like `X-Tenant-Id`).
#[derive(Debug)]
pub struct AuthMessage {
    pub token: Secret<String>,
    pub tenant_id: Option<TenantId>,
}

/// Everything a client may send; only the first message is read, later ones are ignored.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum ClientMessage {
    Auth {
        token: Secret<String>,
        #[serde(default)]
        tenant_id: Option<TenantId>,
    },
}

impl AuthMessage {
    /// The credential in `text`, or `None` for anything else.
    pub fn parse(text: &str) -> Option<AuthMessage> {
        let ClientMessage::Auth { token, tenant_id } = serde_json::from_str(text).ok()?;
        (!token.expose().trim().is_empty()).then_some(AuthMessage { token, tenant_id })
    }
}

/// `{"type": "ready", "tenant_id": …}`: authenticated and subscribed; events follow.
pub fn ready(tenant: TenantId) -> Bytes {
    Bytes::from(json!({ "type": "ready", "tenant_id": tenant }).to_string())
}

/// `{"type": "event", "event": {"id", "type", "severity", "summary", "created_at"}}`.
pub fn event(event: &FeedEvent) -> Bytes {
    Bytes::from(json!({ "type": "event", "event": event }).to_string())
}

/// `{"type": "gap"}`: events may have been missed (the server lost its database connection for a
/// moment); a client that must see everything reads `GET /v1/events` from its last event on.
pub fn gap() -> Bytes {
    Bytes::from(json!({ "type": "gap" }).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_auth_message_is_parsed_and_anything_else_is_refused() {
        let tenant = TenantId::generate();
        let message = AuthMessage::parse(&format!(
            r#"{{"type":"auth","token":"t0k","tenant_id":"{tenant}"}}"#
        ));
        let message = message.expect("an auth message");
        assert_eq!(message.token.expose(), "t0k");
        assert_eq!(message.tenant_id, Some(tenant));
        assert!(AuthMessage::parse(r#"{"type":"auth","token":"t0k"}"#).is_some());
        for refused in [
            r#"{"type":"auth","token":" "}"#,
            r#"{"type":"hello"}"#,
            r#"{"token":"t0k"}"#,
            "t0k",
            "",
        ] {
            assert!(AuthMessage::parse(refused).is_none(), "{refused}");
        }
    }

    #[test]
    fn a_parsed_credential_never_shows_in_debug_output() {
        let message =
            AuthMessage::parse(r#"{"type":"auth","token":"super-secret-token"}"#).expect("parsed");
        assert!(!format!("{message:?}").contains("super-secret-token"));
    }
}
