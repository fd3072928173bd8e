//! `POST /v1/assets/{id}/authorize`: issues a new challenge token bound to this asset of this
//! tenant and answers how to publish it (a DNS TXT record, a well-known file). The asset becomes
//! `verifying`; calling it again restarts the proof with a new token.

use super::AssetItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use serde::Serialize;
use surface::Surface;
use surface::model::AssetId;
use surface::service::authorization::Instructions;
use utoipa::ToSchema;

/// The TXT record to publish.
#[derive(Serialize, ToSchema)]
pub struct DnsChallenge {
    /// `_palisade-challenge.<domain>`.
    pub name: String,
    /// `TXT`.
    pub record_type: String,
    /// `palisade-verify=<token>`.
    pub value: String,
}

/// The file to serve.
#[derive(Serialize, ToSchema)]
pub struct HttpChallenge {
    /// `https://<host>/.well-known/palisade-verify/<token>` and its `http://` twin; either works.
    pub urls: Vec<String>,
    /// What the file answers (200, this text; surrounding whitespace ignored).
    pub body: String,
}

/// The challenge just issued and how to meet it.
#[derive(Serialize, ToSchema)]
pub struct AuthorizeResponse {
    pub asset: AssetItem,
    /// 256 random bits, base64url.
    pub token: String,
    /// The methods that can prove this asset, in the order `verify` tries them: `dns_txt`,
    /// `http_file` (domains, single addresses), `reverse_dns` (addresses and blocks, under an
    /// authorized domain of the tenant). Addresses and blocks can also be attested.
    pub methods: Vec<String>,
    /// For a domain.
    pub dns: Option<DnsChallenge>,
    /// For a domain or a single address.
    pub http: Option<HttpChallenge>,
}

#[utoipa::path(post, path = "/v1/assets/{id}/authorize", tag = "assets",
    params(("id" = AssetId, Path, description = "Asset id")),
    responses(
        (status = 200, description = "The challenge to publish", body = AuthorizeResponse),
        (status = 404, description = "NOT_FOUND"),
    ))]
pub async fn authorize(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<AssetId>,
) -> Result<Json<AuthorizeResponse>, ApiError> {
    let issued = surface.authorize(&context, &principal, id).await?;
    let Instructions { methods, dns, http } = issued.instructions;
    Ok(Json(AuthorizeResponse {
        asset: issued.asset.into(),
        token: issued.token,
        methods: methods.iter().map(|m| m.as_str().to_string()).collect(),
        dns: dns.map(|d| DnsChallenge {
            name: d.name,
            record_type: d.record_type.to_string(),
            value: d.value,
        }),
        http: http.map(|h| HttpChallenge { urls: h.urls, body: h.body }),
    }))
}
