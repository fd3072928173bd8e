//! The console's static files, compiled into the binary: htmx (a pinned release from the npm
//! registry, with its licence and SHA-256 beside it in `static/`), our stylesheet and our script.
//! Nothing is fetched from anywhere at build or run time.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use edge::AppState;

const HTMX: &str = include_str!("../static/htmx-2.0.11.min.js");
const CSS: &str = include_str!("../static/console.css");
const JS: &str = include_str!("../static/console.js");

/// Cached for an hour: the files change only with the binary.
const CACHE: &str = "public, max-age=3600";

fn file(body: &'static str, kind: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, CACHE)], body)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/static/htmx-2.0.11.min.js",
            get(|| async { file(HTMX, "text/javascript; charset=utf-8") }),
        )
        .route("/static/console.css", get(|| async { file(CSS, "text/css; charset=utf-8") }))
        .route("/static/console.js", get(|| async { file(JS, "text/javascript; charset=utf-8") }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_htmx_is_the_release_its_checksum_names() {
        use std::fmt::Write;
        let recorded = include_str!("../static/htmx-2.0.11.min.js.sha256");
        let digest = sha256(super::HTMX.as_bytes());
        let hex = digest.iter().fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        });
        assert!(recorded.starts_with(&hex), "htmx-2.0.11.min.js does not match its SHA-256");
    }

    fn sha256(bytes: &[u8]) -> [u8; 32] {
        use sha2::Digest;
        sha2::Sha256::digest(bytes).into()
    }
}
