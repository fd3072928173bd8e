//! What the API's live feed and the console share about the console session: the cookie's name,
//! reading it, and the `Origin` rule. A cookie is ambient authority — the browser attaches it to
//! requests other sites make — so every use of it outside a plain page load must come with the
//! console's own origin.

use axum::http::{HeaderMap, header};

/// The console session cookie's name.
pub const SESSION_COOKIE: &str = "palisade_session";

/// The value of cookie `name` in the request's `Cookie` headers, if it is well-formed: values
/// here are tokens we issued (base64url, dots, hex); anything else is not ours and reads as
/// absent.
pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').to_string())
        .filter(|value| {
            !value.is_empty() && value.len() <= 4096 && value.bytes().all(is_token_byte)
        })
}

fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.')
}

/// The origin (`scheme://host[:port]`) of `url`, lower-cased, without path or default port.
pub fn origin_of(url: &str) -> String {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default().to_ascii_lowercase();
    let host = match scheme {
        "https" => host.strip_suffix(":443").map(str::to_string).unwrap_or(host),
        "http" => host.strip_suffix(":80").map(str::to_string).unwrap_or(host),
        _ => host,
    };
    format!("{}://{host}", scheme.to_ascii_lowercase())
}

/// Whether the request says it comes from `allowed` (an `origin_of` value): its `Origin`, or
/// lacking one its `Referer`. A request that names neither is refused: every browser names one
/// on a cross-site POST and on every WebSocket upgrade.
pub fn same_origin(headers: &HeaderMap, allowed: &str) -> bool {
    let named = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|value| value.to_str().ok());
    named.is_some_and(|origin| origin_of(origin) == allowed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(name: header::HeaderName, value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn an_origin_drops_path_and_default_port() {
        assert_eq!(origin_of("https://Console.Example.com:443/x"), "https://console.example.com");
        assert_eq!(origin_of("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
    }

    #[test]
    fn a_foreign_or_missing_origin_is_not_the_console() {
        let allowed = origin_of("https://console.example.com");
        assert!(same_origin(&with(header::ORIGIN, "https://console.example.com"), &allowed));
        assert!(same_origin(&with(header::REFERER, "https://console.example.com/a?x=1"), &allowed));
        assert!(!same_origin(&with(header::ORIGIN, "https://evil.example"), &allowed));
        assert!(!same_origin(&with(header::ORIGIN, "null"), &allowed));
        let lookalike = "https://console.example.com.evil.example";
        assert!(!same_origin(&with(header::ORIGIN, lookalike), &allowed));
        assert!(!same_origin(&HeaderMap::new(), &allowed));
    }

    #[test]
    fn only_well_formed_cookie_values_are_read() {
        let headers = with(header::COOKIE, "a=1; palisade_session=abc.DEF-_9; b=2");
        assert_eq!(read_cookie(&headers, SESSION_COOKIE).as_deref(), Some("abc.DEF-_9"));
        let hostile = with(header::COOKIE, "palisade_session=a<b");
        assert_eq!(read_cookie(&hostile, SESSION_COOKIE), None);
    }
}
