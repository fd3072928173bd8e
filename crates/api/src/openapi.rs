//! The OpenAPI 3.1 document, assembled from the `#[utoipa::path]` of every handler, served at
//! `/v1/openapi.json` with Swagger UI at `/docs` (its assets are compiled into the binary).

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Palisade API",
        description = "Multi-tenant security operations: attack surface, alerts and cases, \
                       threat intel, diff scanning and compliance. Errors are RFC 9457 \
                       problem+json with a stable `code`.",
    ),
    components(schemas(crate::error::Problem, crate::error::FieldError)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "system", description = "Liveness, readiness and metrics"),
        (name = "auth", description = "Login, tokens, sessions and registration"),
    ),
)]
pub struct ApiDoc;

/// `bearer` (a JWT access token) and `api_key` (`pal_…`, also sent as a bearer token).
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut jwt = Http::new(HttpAuthScheme::Bearer);
        jwt.bearer_format = Some("JWT".into());
        jwt.description = Some("Access token from POST /v1/auth/login (15 minutes).".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(jwt));
        let mut key = Http::new(HttpAuthScheme::Bearer);
        key.bearer_format = Some("pal_<prefix>_<secret>".into());
        key.description = Some("API key, limited to its scopes.".into());
        components.add_security_scheme("api_key", SecurityScheme::Http(key));
    }
}
