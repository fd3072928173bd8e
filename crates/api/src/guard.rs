//! `guard`: declares a route's access and rate tier next to its registration, enforces both with
//! a route layer (`edge::auth::enforce`), and writes the same into the route's OpenAPI operation
//! (`security`, `x-palisade-access`, `x-palisade-rate-tier` and the error answers that follow
//! from them), so that what is documented is what is enforced.

use axum::extract::Request;
use axum::middleware::{Next, from_fn};
use edge::auth::{Access, enforce};
use edge::rate_limit::Tier;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::SecurityRequirement;
use utoipa_axum::router::UtoipaMethodRouter;

/// The OpenAPI extension naming a route's access: `PUBLIC`, `AUTHENTICATED` or a permission.
pub const ACCESS_EXTENSION: &str = "x-palisade-access";
/// The OpenAPI extension naming a route's rate tier: `auth`, `general`, `bulk`, `expensive` or
/// `unmetered`.
pub const TIER_EXTENSION: &str = "x-palisade-rate-tier";

/// Wraps the routes of one `routes!(...)` with `access` and `tier`.
pub fn guard<S>(
    access: Access,
    tier: Tier,
    (schemas, mut paths, router): UtoipaMethodRouter<S>,
) -> UtoipaMethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    for operation in crate::openapi::operations_mut(&mut paths) {
        document(operation, access, tier);
    }
    let router = router.route_layer(from_fn(move |request: Request, next: Next| {
        enforce(access, tier, request, next)
    }));
    (schemas, paths, router)
}

fn document(operation: &mut Operation, access: Access, tier: Tier) {
    let extensions = ExtensionsBuilder::new()
        .add(ACCESS_EXTENSION, access.name())
        .add(TIER_EXTENSION, tier.as_str())
        .build();
    match operation.extensions.as_mut() {
        Some(existing) => existing.merge(extensions),
        None => operation.extensions = Some(extensions),
    }
    let mut answers: Vec<(u16, &str)> = Vec::new();
    if tier != Tier::Unmetered {
        answers.push((429, "RATE_LIMITED: too many requests; see Retry-After"));
    }
    if access != Access::Public {
        operation.security = Some(vec![
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::new("api_key", Vec::<String>::new()),
        ]);
        let note = match access {
            Access::Permission(p) => format!("Requires the `{p}` permission."),
            _ => "Requires authentication.".to_string(),
        };
        operation.description = Some(match operation.description.take() {
            Some(text) if !text.is_empty() => format!("{text}\n\n{note}"),
            _ => note,
        });
        answers.push((401, "UNAUTHENTICATED or TOKEN_EXPIRED: no valid credential"));
        answers.push((403, "FORBIDDEN: the credential lacks the permission"));
    }
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    if parameters.iter().any(|p| p.parameter_in == ParameterIn::Path) {
        answers.push((404, "NOT_FOUND: no such object in this tenant"));
    }
    if parameters.iter().any(|p| p.parameter_in == ParameterIn::Query) {
        answers.push((400, "INVALID_QUERY or INVALID_CURSOR: the query string cannot be read"));
        answers.push((422, "VALIDATION_FAILED: a parameter is out of range"));
    }
    if operation.request_body.is_some() {
        answers.push((400, "INVALID_JSON: the body is not JSON of this shape"));
        answers.push((413, "PAYLOAD_TOO_LARGE: the body is larger than allowed"));
        answers.push((415, "UNSUPPORTED_MEDIA_TYPE: send application/json"));
        answers.push((422, "VALIDATION_FAILED: a field is invalid; see errors[]"));
    }
    answers.push((500, "INTERNAL_ERROR: an unexpected failure, logged with the request id"));
    answers.push((503, "SERVICE_UNAVAILABLE or REQUEST_TIMEOUT: try again later"));
    for (status, description) in answers {
        crate::openapi::add_problem(operation, status, description);
    }
}
