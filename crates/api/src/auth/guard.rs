//! `guard`: declares a route's required access next to its registration, enforces it with a
//! route layer, and documents it in the OpenAPI operation (`security` and `x-palisade-access`).

use super::layer::AuthOutcome;
use crate::error::{ApiError, ErrorCode};
use axum::extract::Request;
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Response};
use identity::{AuthError, Permission};
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::security::SecurityRequirement;
use utoipa_axum::router::UtoipaMethodRouter;

/// The OpenAPI extension naming a route's access: `PUBLIC`, `AUTHENTICATED` or a permission.
pub const ACCESS_EXTENSION: &str = "x-palisade-access";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, authenticated or not (login, health).
    Public,
    /// Any authenticated principal (their own session, `/me`).
    Authenticated,
    Permission(Permission),
}

impl Access {
    pub fn name(self) -> &'static str {
        match self {
            Access::Public => "PUBLIC",
            Access::Authenticated => "AUTHENTICATED",
            Access::Permission(p) => p.as_str(),
        }
    }
}

/// Wraps the routes of one `routes!(...)` with `access`.
pub fn guard<S>(
    access: Access,
    (schemas, mut paths, router): UtoipaMethodRouter<S>,
) -> UtoipaMethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    for item in paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
        ]
        .into_iter()
        .flatten()
        {
            let extensions = ExtensionsBuilder::new().add(ACCESS_EXTENSION, access.name()).build();
            match operation.extensions.as_mut() {
                Some(existing) => existing.merge(extensions),
                None => operation.extensions = Some(extensions),
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
            }
        }
    }
    let router = if access == Access::Public {
        router
    } else {
        router.route_layer(from_fn(move |request: Request, next: Next| {
            require(access, request, next)
        }))
    };
    (schemas, paths, router)
}

async fn require(access: Access, request: Request, next: Next) -> Response {
    let outcome =
        request.extensions().get::<AuthOutcome>().cloned().unwrap_or(AuthOutcome::Anonymous);
    let principal = match outcome {
        AuthOutcome::Authenticated(principal) => principal,
        AuthOutcome::Anonymous => return unauthenticated(&AuthError::Missing).into_response(),
        AuthOutcome::Refused(error) => return unauthenticated(&error).into_response(),
    };
    if let Access::Permission(permission) = access
        && !principal.can(permission)
    {
        return ApiError::new(
            ErrorCode::FORBIDDEN,
            format!("This requires the {permission} permission."),
        )
        .into_response();
    }
    next.run(request).await
}

/// The response for a request whose credential was missing or refused.
pub fn unauthenticated(error: &AuthError) -> ApiError {
    match error {
        AuthError::Missing => ApiError::new(
            ErrorCode::UNAUTHENTICATED,
            "Send Authorization: Bearer <access token or API key>.",
        ),
        AuthError::Expired => {
            ApiError::new(ErrorCode::TOKEN_EXPIRED, "The access token has expired; refresh it.")
        }
        AuthError::Invalid => {
            ApiError::new(ErrorCode::UNAUTHENTICATED, "The credential is not valid.")
        }
        AuthError::TenantOverrideRefused => ApiError::new(
            ErrorCode::FORBIDDEN,
            "X-Tenant-Id must name an existing tenant and is only allowed to global administrators.",
        ),
        AuthError::Unexpected(cause) => ApiError::internal(anyhow::anyhow!("{cause:#}")),
    }
}
