//! X-Request-Id in and out: an incoming id of at most 64 characters of `[A-Za-z0-9._-]` is kept
//! (so a proxy's id follows the request through our logs and audit rows); anything else is
//! replaced by a fresh UUID, and the refused value is logged escaped, never as sent. The id is also held in a
//! task-local so that error bodies built anywhere in the request can carry it.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

pub const HEADER: &str = "x-request-id";

/// The request's id, also stored as a request extension for handlers.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

tokio::task_local! {
    static CURRENT: String;
}

/// The id of the request this task is serving, if any.
pub fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

fn acceptable(id: &[u8]) -> bool {
    (1..=64).contains(&id.len())
        && id.iter().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b))
}

pub async fn layer(mut request: Request, next: Next) -> Response {
    let sent = request.headers().get(HEADER).map(HeaderValue::as_bytes);
    let id = match sent {
        Some(sent) if acceptable(sent) => String::from_utf8_lossy(sent).into_owned(),
        Some(sent) => {
            let escaped: String = sent
                .iter()
                .take(256)
                .flat_map(|b| std::ascii::escape_default(*b))
                .map(char::from)
                .collect();
            let id = uuid::Uuid::new_v4().to_string();
            tracing::info!(refused = %escaped, replaced_by = %id, "an incoming X-Request-Id was refused");
            id
        }
        None => uuid::Uuid::new_v4().to_string(),
    };
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = CURRENT.scope(id.clone(), next.run(request)).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::acceptable;

    #[test]
    fn only_short_plain_ids_are_kept() {
        for good in ["abc", "req-1.2_3", &"a".repeat(64)] {
            assert!(acceptable(good.as_bytes()), "{good}");
        }
        for bad in ["", "a b", "a/b", "a:b", "ü", "x\u{0}", &"a".repeat(65), "<script>", "a\nb"] {
            assert!(!acceptable(bad.as_bytes()), "{bad:?}");
        }
    }
}
