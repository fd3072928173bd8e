//! `GET /v1/diffscan/signing-keys`: the keys that verify this installation's artifacts (the
//! ed25519 public key; an HMAC key is shared out of band and only named here).

use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use edge::ApiError;
use edge::auth::Auth;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct SigningKeyItem {
    /// The `keyid` signatures carry, e.g. `ed25519:3f…`.
    pub key_id: String,
    /// `ed25519` or `hmac-sha256`.
    pub algorithm: String,
    /// The ed25519 public key, base64 (pass it to `verify-artifact --public-key`); null for HMAC.
    pub public_key: Option<String>,
    /// The public development key (development mode only): its signatures prove nothing.
    pub development: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SigningKeys {
    pub items: Vec<SigningKeyItem>,
}

#[utoipa::path(get, path = "/v1/diffscan/signing-keys", tag = "diffscan",
    responses((status = 200, description = "The verification keys", body = SigningKeys)))]
pub async fn signing_keys(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
) -> Result<Json<SigningKeys>, ApiError> {
    let keys = diffscan.signing_keys(&principal).await?;
    let items = keys
        .into_iter()
        .map(|k| SigningKeyItem {
            key_id: k.key_id,
            algorithm: k.algorithm.to_string(),
            public_key: k.public_key,
            development: k.development,
        })
        .collect();
    Ok(Json(SigningKeys { items }))
}
