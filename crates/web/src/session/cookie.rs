//! Writing the console's cookies with the attributes they must carry (reading one is
//! `edge::auth::console::read_cookie`, shared with the live feed).

use axum::http::HeaderValue;

pub use edge::auth::console::read_cookie;

/// A `Set-Cookie` value.
#[derive(Debug)]
pub struct Cookie(String);

impl Cookie {
    /// The session cookie, for the whole console.
    pub fn session(value: &str, max_age_seconds: i64) -> Cookie {
        Cookie::with(super::SESSION_COOKIE, value, "/", max_age_seconds)
    }

    /// A cookie that lives `max_age_seconds` under `path`, readable by the server only, sent
    /// back only by same-site requests and only over HTTPS.
    pub fn with(name: &str, value: &str, path: &str, max_age_seconds: i64) -> Cookie {
        Cookie(format!(
            "{name}={value}; Path={path}; Max-Age={max_age_seconds}; HttpOnly; Secure; SameSite=Strict"
        ))
    }

    /// Deletes cookie `name` set under `path`.
    pub fn clear(name: &str, path: &str) -> Cookie {
        Cookie::with(name, "", path, 0)
    }

    pub fn header(&self) -> HeaderValue {
        HeaderValue::from_str(&self.0).unwrap_or_else(|_| HeaderValue::from_static(""))
    }
}
