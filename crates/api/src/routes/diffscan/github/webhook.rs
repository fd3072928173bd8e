//! `POST /v1/diffscan/github/webhook/{id}`: where GitHub delivers an installation's webhook.
//! The signature (`X-Hub-Signature-256`) is checked over the raw body before anything else; a
//! verified delivery is recorded raw and queued, and the answer (202) goes back at once. A
//! redelivery with a GUID already recorded answers 202 `duplicate` and changes nothing.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use diffscan::Diffscan;
use diffscan::model::{InstallationId, WebhookDeliveryId};
use diffscan::service::{WebhookHeaders, WebhookOutcome};
use edge::ApiError;
use edge::extract::IdPath;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct WebhookAnswer {
    /// `queued` (a pull request event, to be scanned if its repository is configured),
    /// `ignored` (recorded; nothing to do) or `duplicate` (already recorded).
    pub status: String,
    pub delivery_id: Option<WebhookDeliveryId>,
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

#[utoipa::path(post, path = "/v1/diffscan/github/webhook/{id}", tag = "diffscan",
    params(
        ("id" = InstallationId, Path, description = "Installation id (its webhook URL)"),
        ("X-Hub-Signature-256" = Option<String>, Header, description = "sha256=<hex HMAC-SHA256 of the body under the webhook secret>"),
        ("X-GitHub-Event" = Option<String>, Header, description = "pull_request, ping, …"),
        ("X-GitHub-Delivery" = Option<String>, Header, description = "The delivery's GUID"),
    ),
    request_body(content = Object, content_type = "application/json", description = "The event, as GitHub sends it"),
    responses(
        (status = 202, description = "Recorded (or a duplicate)", body = WebhookAnswer),
        (status = 401, description = "WEBHOOK_SIGNATURE_INVALID: missing or wrong X-Hub-Signature-256"),
        (status = 404, description = "NOT_FOUND: no such installation"),
        (status = 422, description = "VALIDATION_FAILED: X-GitHub-Event or X-GitHub-Delivery missing"),
    ))]
pub async fn webhook(
    State(diffscan): State<Diffscan>,
    IdPath(id): IdPath<InstallationId>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<WebhookAnswer>), ApiError> {
    let received = WebhookHeaders {
        event: header(&headers, "x-github-event"),
        delivery: header(&headers, "x-github-delivery"),
        signature: header(&headers, "x-hub-signature-256"),
        hook_id: header(&headers, "x-github-hook-id"),
        user_agent: header(&headers, "user-agent"),
        content_type: header(&headers, "content-type"),
    };
    let (status, delivery_id) = match diffscan.receive_webhook(id, &received, &body).await? {
        WebhookOutcome::Queued(id) => ("queued", Some(id)),
        WebhookOutcome::Ignored(id) => ("ignored", Some(id)),
        WebhookOutcome::Duplicate => ("duplicate", None),
    };
    Ok((StatusCode::ACCEPTED, Json(WebhookAnswer { status: status.into(), delivery_id })))
}
