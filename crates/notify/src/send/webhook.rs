//! Signed webhooks, per the Standard Webhooks specification: the event as a JSON body and three
//! headers, `webhook-id` (the event id, the same on every retry, for the receiver's idempotency),
//! `webhook-timestamp` (unix seconds) and `webhook-signature` (`v1,` + base64 of HMAC-SHA256
//! keyed with the base64-decoded part of the `whsec_` secret, over `id.timestamp.body`),
//! computed before the request is sent.

use super::{Envelope, SendError, Sender, http};
use crate::model::{EventRow, WebhookSettings};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use platform::{Secret, TenantId};
use rand::RngCore;
use sha2::Sha256;

/// The prefix of every signing secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new signing secret: `whsec_` + base64 of 24 random bytes.
pub fn generate_secret() -> Secret<String> {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    Secret::new(format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes)))
}

/// The `webhook-signature` value of a message.
pub fn sign(secret: &[u8], id: &str, timestamp: i64, body: &[u8]) -> Result<String, SendError> {
    let unusable = || SendError::new("the channel's signing secret is unusable");
    let encoded = secret.strip_prefix(SECRET_PREFIX.as_bytes()).ok_or_else(unusable)?;
    let key = STANDARD.decode(encoded).map_err(|_| unusable())?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|_| unusable())?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

pub async fn send(
    sender: &Sender,
    tenant: TenantId,
    event: &EventRow,
    settings: &WebhookSettings,
    secret: &Secret<Vec<u8>>,
) -> Result<(), SendError> {
    let body = serde_json::to_vec(&Envelope::of(tenant, event))
        .map_err(|_| SendError::new("the event cannot be serialized"))?;
    let id = event.id.to_string();
    let timestamp = chrono::Utc::now().timestamp();
    let signature = sign(secret.expose(), &id, timestamp, &body)?;
    let headers = [
        ("webhook-id", id),
        ("webhook-timestamp", timestamp.to_string()),
        ("webhook-signature", signature),
    ];
    http::post_json(sender, &settings.url, &headers, body).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification's reference libraries.
        let secret = b"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = br#"{"test": 2432232314}"#;
        let signature = sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).unwrap();
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn generated_secrets_carry_24_random_bytes() {
        let (a, b) = (generate_secret(), generate_secret());
        assert!(a.expose().starts_with("whsec_"));
        let key = STANDARD.decode(&a.expose()[6..]).unwrap();
        assert_eq!(key.len(), 24);
        assert_ne!(a.expose(), b.expose());
    }

    #[test]
    fn a_secret_without_the_prefix_is_refused() {
        assert!(sign(b"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "id", 1, b"{}").is_err());
    }
}
