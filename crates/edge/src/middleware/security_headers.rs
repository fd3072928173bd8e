//! Headers every response carries: HSTS (only when served over HTTPS), a same-origin CSP,
//! no framing, no MIME sniffing, no referrer. A handler may send its own, stricter CSP (a
//! self-contained report page: nothing but its inline style) and its own referrer policy (the
//! console's pages send `same-origin`: with `no-referrer` browsers name their form posts'
//! origin `null`, and the console's CSRF check needs it); every other header is forced.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

pub fn apply<S: Clone + Send + Sync + 'static>(router: Router<S>, https: bool) -> Router<S> {
    let router = router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ));
    let mut headers: Vec<(HeaderName, &'static str)> =
        vec![(header::X_FRAME_OPTIONS, "DENY"), (header::X_CONTENT_TYPE_OPTIONS, "nosniff")];
    if https {
        headers.push((header::STRICT_TRANSPORT_SECURITY, "max-age=63072000; includeSubDomains"));
    }
    headers.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value)))
    })
}
