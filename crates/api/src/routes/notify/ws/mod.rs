//! `GET /v1/ws`: the live feed over WebSocket. The upgrade itself is public (browsers cannot send
//! `Authorization` on a WebSocket), so the socket authenticates in-band and is closed with 4401
//! unless it does: `Sec-WebSocket-Protocol: palisade.bearer, <token>` (answered with
//! `palisade.bearer`), `Authorization: Bearer <token>` (non-browser clients), or a first message
//! `{"type":"auth","token":"…"}` within the auth timeout. The credential needs `EVENTS_VIEW`.
//!
//! Then the socket joins its tenant's room (`notify::feed::Hub`) and receives each event's
//! summary; it is pinged, closed when silent, closed when it falls behind (never buffered without
//! bound), and its credential is checked again periodically and at the token's expiry.
//!
//! Without a token, the console's session cookie authenticates the socket, but only when the
//! upgrade's `Origin` is the console's public origin (`public_url`): a cookie is ambient
//! authority, and a cross-site page could otherwise open a socket as the user. A token is never
//! sent implicitly, so token sockets need no Origin check.
//!
//! It must never log or echo the credential: the protocol header is read here and nowhere else.
//!
//! `session.rs` runs an upgraded socket; this file answers the upgrade.

mod session;

use crate::guard;
use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use edge::AppState;
use edge::auth::{Access, console};
use edge::rate_limit::Tier;
use edge::{ApiError, ErrorCode};
use notify::feed::protocol::BEARER_PROTOCOL;
use platform::{Secret, TenantId};
use session::session;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Client messages are only credentials: anything larger is refused by the protocol layer.
const MAX_CLIENT_MESSAGE: usize = 16 * 1024;
/// Bytes queued for one socket before a send waits for the client to read.
const MAX_WRITE_BUFFER: usize = 1024 * 1024;
/// The read buffer each socket allocates up front: clients send only a credential and pongs, and
/// ten thousand sockets at the 128 KiB default would hold over a gigabyte.
const READ_BUFFER: usize = 4 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    // Public at the HTTP level: the socket authenticates itself (see the module doc).
    OpenApiRouter::new().routes(guard(Access::Public, Tier::General, routes!(connect)))
}

/// A credential and the tenant it asks for (global administrators only).
pub(super) struct Offered {
    pub(super) token: Secret<String>,
    pub(super) tenant: Option<TenantId>,
}

/// Opens the live feed. Authenticate in-band (subprotocol `palisade.bearer, <token>`, or a first
/// message `{"type":"auth","token":"…"}` within 5 s); then receive
/// `{"type":"ready","tenant_id":…}` and `{"type":"event","event":{id,type,severity,summary,
/// created_at}}` messages. Requires `EVENTS_VIEW`. Close codes: 4401 unauthenticated or credential
/// no longer valid, 4403 permission missing, 4000 too slow, 4408 no heartbeat, 1001 shutdown.
#[utoipa::path(get, path = "/v1/ws", tag = "live feed",
    responses(
        (status = 101, description = "Switched to WebSocket; the feed speaks JSON text messages"),
        (status = 400, description = "Not a WebSocket upgrade request"),
    ))]
pub async fn connect(
    State(state): State<AppState>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(_) => {
            return ApiError::new(
                ErrorCode::BAD_REQUEST,
                "This is a WebSocket endpoint: send an upgrade request.",
            )
            .into_response();
        }
    };
    let offered = match offered(&headers) {
        Some(offered) => Some(offered),
        None => match console_session(&state, &headers) {
            Ok(offered) => offered,
            Err(refused) => return refused.into_response(),
        },
    };
    upgrade
        .protocols([BEARER_PROTOCOL])
        .read_buffer_size(READ_BUFFER)
        .max_message_size(MAX_CLIENT_MESSAGE)
        .max_frame_size(MAX_CLIENT_MESSAGE)
        .max_write_buffer_size(MAX_WRITE_BUFFER)
        .on_upgrade(move |socket| session(state, socket, offered))
}

/// The console session cookie, if one came with the upgrade from the console's own origin.
fn console_session(state: &AppState, headers: &HeaderMap) -> Result<Option<Offered>, ApiError> {
    let Some(token) = console::read_cookie(headers, console::SESSION_COOKIE) else {
        return Ok(None);
    };
    if identity::credentials::looks_like_api_key(&token) {
        return Ok(None);
    }
    let allowed = console::origin_of(&state.services.identity.settings().public_url);
    if !console::same_origin(headers, &allowed) {
        return Err(ApiError::new(
            ErrorCode::FORBIDDEN,
            "A console session opens the live feed only from the console's own origin.",
        ));
    }
    Ok(Some(Offered { token: Secret::new(token), tenant: None }))
}

/// The credential offered with the upgrade: the entry after `palisade.bearer` in
/// `Sec-WebSocket-Protocol`, else `Authorization: Bearer`.
fn offered(headers: &HeaderMap) -> Option<Offered> {
    let from_protocol = headers.get_all(header::SEC_WEBSOCKET_PROTOCOL).iter().find_map(|value| {
        let mut entries = value.to_str().ok()?.split(',').map(str::trim);
        entries.position(|entry| entry == BEARER_PROTOCOL)?;
        entries.next().filter(|token| !token.is_empty()).map(str::to_string)
    });
    let from_header = || {
        let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, token) = value.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    from_protocol
        .or_else(from_header)
        .map(|token| Offered { token: Secret::new(token), tenant: None })
}
