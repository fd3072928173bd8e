//! The OpenAPI 3.1 document, assembled from the `#[utoipa::path]` of every handler, served at
//! `/v1/openapi.json` with Swagger UI at `/docs` (its assets are compiled into the binary).

use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Palisade API",
        description = "Multi-tenant security operations: attack surface, alerts and cases, \
                       threat intel, diff scanning and compliance. Errors are RFC 9457 \
                       problem+json with a stable `code`.",
    ),
    components(schemas(crate::error::Problem, crate::error::FieldError)),
    tags((name = "system", description = "Liveness, readiness and metrics")),
)]
pub struct ApiDoc;
