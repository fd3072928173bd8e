//! The OpenAPI 3.1 document, assembled from the `#[utoipa::path]` of every handler and the
//! `guard` of every route, served at `/v1/openapi.json` with Swagger UI at `/docs` (its assets
//! are compiled into the binary).
//!
//! The document must tell the truth, since clients are generated from it: every error answer is
//! declared as `application/problem+json` with the `Problem` schema (handlers only name the
//! statuses and codes of their own conflicts), and `guard` adds the answers every route can give
//! (401, 403, 404, 400, 413, 415, 422, 429, 500, 503) from its access, parameters and body.

use utoipa::openapi::path::{Operation, Paths};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Palisade API",
        description = "Multi-tenant security operations: attack surface, alerts and cases, \
                       threat intel, diff scanning and compliance. Errors are RFC 9457 \
                       problem+json with a stable `code`.",
    ),
    // Types that query parameters refer to by name (responses register their own).
    components(schemas(
        edge::Problem,
        edge::FieldError,
        platform::Timestamp,
        platform::TenantId,
        platform::UserId,
        platform::ApiKeyId,
        platform::ChannelId,
        platform::DeliveryId,
        platform::EventId,
        alerts::model::AlertId,
        alerts::model::AlertSourceId,
        alerts::model::DetectionRuleId,
        alerts::model::CorrelationRuleId,
        alerts::model::CorrelationGroupId,
        alerts::model::BulkJobId,
        diffscan::model::ScanId,
        diffscan::model::PolicyId,
        diffscan::model::ExceptionId,
        diffscan::model::BaselineId,
        diffscan::model::RulePackId,
        diffscan::model::InstallationId,
        diffscan::model::RepositoryId,
        diffscan::model::WebhookDeliveryId,
        surface::model::AssetId,
    )),
    modifiers(&SecuritySchemes),
    tags(
        (name = "system", description = "Liveness, readiness and metrics"),
        (name = "auth", description = "Login, tokens, sessions and registration"),
        (name = "diffscan", description = "Code-diff verification and injection scan: scans, \
                                          policies, exceptions, baselines, rule packs, GitHub"),
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

/// Declares `status` on `operation` as a problem+json answer. A status the handler declared keeps
/// its description (which names its codes); one it did not gets `description`.
pub fn add_problem(operation: &mut Operation, status: u16, description: &str) {
    let key = status.to_string();
    let responses = &mut operation.responses.responses;
    let described = match responses.get(&key) {
        Some(RefOr::T(response)) => response.description.clone(),
        _ => description.to_string(),
    };
    let response = ResponseBuilder::new()
        .description(described)
        .content(edge::PROBLEM_JSON, Content::new(Some(Ref::from_schema_name("Problem"))))
        .build();
    responses.insert(key, RefOr::T(response));
}

/// Every operation of `paths`, whatever its method.
pub fn operations_mut(paths: &mut Paths) -> impl Iterator<Item = &mut Operation> {
    paths.paths.values_mut().flat_map(|item| {
        [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
        ]
        .into_iter()
        .flatten()
    })
}

/// Makes every declared error answer of the document problem+json (handlers declare their
/// conflicts by status and description only).
pub fn problems_everywhere(openapi: &mut utoipa::openapi::OpenApi) {
    for operation in operations_mut(&mut openapi.paths) {
        let errors: Vec<u16> = operation
            .responses
            .responses
            .keys()
            .filter_map(|status| status.parse::<u16>().ok())
            .filter(|status| *status >= 400)
            .collect();
        for status in errors {
            add_problem(operation, status, "An error");
        }
    }
}
