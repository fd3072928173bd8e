//! Real receivers on loopback for the notification tests: an HTTP endpoint that records what it
//! gets and answers from a script, a minimal SMTP server that captures messages, a tripwire
//! listener that counts connections, an independent Standard Webhooks verifier, and helpers to
//! create channels and follow deliveries through the API and to read tokens out of mail.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use testapp::TestApp;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// How the HTTP receiver answers one request.
#[derive(Clone, Debug)]
pub enum Reply {
    Status(u16),
    /// Waits this long, then answers 200.
    Stall(Duration),
    /// 302 to this location.
    Redirect(String),
}

#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

#[derive(Default)]
struct Hook {
    received: Mutex<Vec<Received>>,
    script: Mutex<VecDeque<Reply>>,
    otherwise: u16,
    ok_answers: AtomicUsize,
}

/// An HTTP receiver answering from `script`, then `otherwise` for every further request.
pub struct HookReceiver {
    pub addr: SocketAddr,
    hook: Arc<Hook>,
}

impl HookReceiver {
    pub async fn start(script: Vec<Reply>, otherwise: u16) -> HookReceiver {
        let hook =
            Arc::new(Hook { script: Mutex::new(script.into()), otherwise, ..Hook::default() });
        let app = axum::Router::new().fallback(receive).with_state(hook.clone());
        let listener = TcpListener::bind((own_loopback(), 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        HookReceiver { addr, hook }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.hook.received.lock().unwrap().clone()
    }

    /// How many requests were answered with a 2xx (a stalled one whose client left is not).
    pub fn ok_answers(&self) -> usize {
        self.hook.ok_answers.load(Ordering::SeqCst)
    }

    pub async fn wait_for_requests(&self, count: usize) {
        for _ in 0..200 {
            if self.received().len() >= count {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the receiver got {} requests, expected {count}", self.received().len());
    }
}

async fn receive(State(hook): State<Arc<Hook>>, headers: HeaderMap, body: Bytes) -> Response {
    hook.received.lock().unwrap().push(Received { headers, body: body.to_vec() });
    let reply = hook.script.lock().unwrap().pop_front().unwrap_or(Reply::Status(hook.otherwise));
    let status = match reply {
        Reply::Stall(wait) => {
            tokio::time::sleep(wait).await;
            StatusCode::OK
        }
        Reply::Redirect(location) => {
            return (StatusCode::FOUND, [(header::LOCATION, location)]).into_response();
        }
        Reply::Status(code) => StatusCode::from_u16(code).unwrap(),
    };
    if status.is_success() {
        hook.ok_answers.fetch_add(1, Ordering::SeqCst);
    }
    status.into_response()
}

/// Verifies a Standard Webhooks request, written apart from Palisade's signer: the signed
/// content is `{webhook-id}.{webhook-timestamp}.{body}`, the key the base64 after `whsec_`, and
/// `webhook-signature` a space-separated list of `v1,<base64>`; the timestamp must be recent.
pub fn verify_standard_webhook(
    secret: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), String> {
    let header = |name: &str| {
        headers.get(name).and_then(|v| v.to_str().ok()).ok_or(format!("missing {name}"))
    };
    let (id, timestamp, signatures) =
        (header("webhook-id")?, header("webhook-timestamp")?, header("webhook-signature")?);
    let sent: i64 = timestamp.parse().map_err(|_| "timestamp is not a number".to_string())?;
    if (chrono::Utc::now().timestamp() - sent).abs() > 300 {
        return Err("timestamp outside the 5-minute tolerance".into());
    }
    let key = STANDARD.decode(secret.trim_start_matches("whsec_")).map_err(|e| e.to_string())?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    match signatures.split(' ').any(|candidate| candidate == expected) {
        true => Ok(()),
        false => Err(format!("no signature matches: {signatures}")),
    }
}

/// A tiny SMTP server (no TLS, no auth) that accepts every message and keeps its DATA.
pub struct SmtpReceiver {
    pub addr: SocketAddr,
    messages: Arc<Mutex<Vec<String>>>,
}

impl SmtpReceiver {
    pub async fn start() -> SmtpReceiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let kept = messages.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(smtp_session(stream, kept.clone()));
            }
        });
        SmtpReceiver { addr, messages }
    }

    pub fn messages(&self) -> Vec<String> {
        self.messages.lock().unwrap().clone()
    }
}

async fn smtp_session(stream: tokio::net::TcpStream, messages: Arc<Mutex<Vec<String>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 smtp.palisade.test ESMTP\r\n").await.unwrap();
    while let Ok(Some(line)) = lines.next_line().await {
        let command = line.to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
            b"250 smtp.palisade.test\r\n"
        } else if command.starts_with("DATA") {
            write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await.unwrap();
            let mut data = String::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if line == "." {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
                data.push('\n');
            }
            messages.lock().unwrap().push(data);
            b"250 queued\r\n"
        } else if command.starts_with("QUIT") {
            write.write_all(b"221 bye\r\n").await.unwrap();
            return;
        } else {
            b"250 OK\r\n"
        };
        write.write_all(reply).await.unwrap();
    }
}

/// An address of its own in 127.0.0.0/8 for a receiver: a stray connection of another test (a
/// relay still retrying a receiver that is gone) to a port this one now has never reaches it.
pub fn own_loopback() -> std::net::Ipv4Addr {
    let [a, b, c, ..] = *uuid::Uuid::new_v4().as_bytes();
    std::net::Ipv4Addr::new(127, a, b, c.max(2))
}

/// A listener that only counts the connections it accepts: proof that nothing connected.
pub struct Tripwire {
    pub ip: std::net::Ipv4Addr,
    pub port: u16,
    accepted: Arc<AtomicUsize>,
}

impl Tripwire {
    pub async fn start() -> Tripwire {
        let ip = own_loopback();
        let listener = TcpListener::bind((ip, 0)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        tokio::spawn(async move {
            while listener.accept().await.is_ok() {
                count.fetch_add(1, Ordering::SeqCst);
            }
        });
        Tripwire { ip, port, accepted }
    }

    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

/// Creates a channel; panics unless it answers 201.
pub async fn create_channel(app: &TestApp, token: &str, body: &Value) -> Value {
    let response = app.post_as(token, "/v1/channels", body).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

/// Sends the channel's test event; returns `{event_id, delivery_id}`.
pub async fn send_test(app: &TestApp, token: &str, channel: &Value) -> Value {
    let path = format!("/v1/channels/{}/test", channel["id"].as_str().unwrap());
    let response = app.post_as(token, &path, &serde_json::json!({})).await;
    assert_eq!(response.status(), 202);
    response.json().await.unwrap()
}

/// The delivery `id` as `GET /v1/deliveries` shows it.
pub async fn delivery(app: &TestApp, token: &str, id: &str) -> Value {
    let page: Value = app.get_as(token, "/v1/deliveries?limit=200").await.json().await.unwrap();
    let items = page["items"].as_array().unwrap();
    items.iter().find(|d| d["id"] == id).cloned().unwrap_or_else(|| panic!("no delivery {id}"))
}

/// Polls the delivery until its status is `status` (at most 12 s).
pub async fn wait_for_status(app: &TestApp, token: &str, id: &str, status: &str) -> Value {
    for _ in 0..240 {
        let found = delivery(app, token, id).await;
        if found["status"] == status {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("delivery {id} never became {status}: {}", delivery(app, token, id).await);
}

/// The id in a JSON string, as the type the caller needs (a typed id or a plain UUID).
pub fn uuid<T: std::str::FromStr>(value: &Value) -> T
where
    T::Err: std::fmt::Debug,
{
    value.as_str().unwrap().parse().unwrap()
}

/// Polls the SMTP receiver until a message to `to` arrives (at most 12 s); returns its text.
pub async fn mail_to(smtp: &SmtpReceiver, to: &str) -> String {
    mail_with(smtp, to, "").await
}

/// Like `mail_to`, for the first message to `to` that contains `needle`.
pub async fn mail_with(smtp: &SmtpReceiver, to: &str, needle: &str) -> String {
    let wanted = |m: &String| m.contains(&format!("To: {to}")) && m.contains(needle);
    for _ in 0..240 {
        if let Some(found) = smtp.messages().into_iter().map(readable).find(wanted) {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no mail to {to} with {needle:?} arrived; got {:?}", smtp.messages());
}

/// A message as a mail client shows it: a quoted-printable body decoded (soft line breaks
/// joined, `=XX` escapes turned back into bytes).
fn readable(message: String) -> String {
    if !message.contains("Content-Transfer-Encoding: quoted-printable") {
        return message;
    }
    let joined = message.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escape = (bytes[at] == b'=' && at + 2 < bytes.len())
            .then(|| std::str::from_utf8(&bytes[at + 1..at + 3]).ok())
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escape {
            Some(byte) => {
                out.push(byte);
                at += 3;
            }
            None => {
                out.push(bytes[at]);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first token starting with `prefix` (`pinv_`, `prst_`, `pver_`) in a message.
pub fn token_in(message: &str, prefix: &str) -> String {
    let at = message.find(prefix).unwrap_or_else(|| panic!("no {prefix} token in {message}"));
    message[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

/// Settings whose `[mail]` relay is `smtp` (plain SMTP: loopback is allowlisted in tests).
pub fn mail_through(smtp: &SmtpReceiver, settings: &mut edge::Settings) {
    settings.mail = Some(notify::mail::MailSettings {
        smtp_host: smtp.addr.ip().to_string(),
        smtp_port: smtp.addr.port(),
        tls: notify::model::TlsMode::None,
        username: None,
        password: None,
        from: "Palisade <palisade@palisade.test>".into(),
    });
}
