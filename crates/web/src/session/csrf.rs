//! The CSRF defence of every state-changing console request, in two independent checks: the
//! request's `Origin` must be the console's public origin (`edge::auth::console::same_origin`),
//! and it must carry the session's CSRF token (form field `_csrf` or header `X-CSRF-Token`).
//! Either alone stops a cross-site form; both together also stop a sibling page that can forge
//! one of them. `form::Submitted` and the login page are the only callers.

use edge::AppState;

pub use edge::auth::console::same_origin;

/// The form field carrying the CSRF token.
pub const FIELD: &str = "_csrf";
/// The header htmx requests carry it in.
pub const HEADER: &str = "x-csrf-token";

/// The console's public origin, as requests must name it.
pub fn allowed_origin(state: &AppState) -> String {
    edge::auth::console::origin_of(&state.services.identity.settings().public_url)
}
