//! Ingest sources: a SIEM or script that pushes alerts with credentials of its own instead of an
//! API key — a bearer-style token, or an HMAC signing secret (Standard Webhooks, or a
//! `X-Signature-256: sha256=<hex>` signature over timestamp and body). The secret itself never
//! appears here; the service shows it once when it is made.

use crate::model::ids::AlertSourceId;
use chrono::{DateTime, Utc};
use detect::SourceKind;

/// How a source proves a push is its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceAuth {
    /// `X-Palisade-Token: <token>` (or `?token=` for senders that cannot set headers).
    Token,
    /// Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`.
    StandardWebhooks,
    /// `X-Signature-256: sha256=<hex>` of `<timestamp>.<body>`, with `X-Signature-Timestamp`.
    Signature256,
}

impl SourceAuth {
    pub const ALL: [SourceAuth; 3] =
        [SourceAuth::Token, SourceAuth::StandardWebhooks, SourceAuth::Signature256];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceAuth::Token => "token",
            SourceAuth::StandardWebhooks => "standard_webhooks",
            SourceAuth::Signature256 => "signature_256",
        }
    }

    pub fn parse(text: &str) -> Option<SourceAuth> {
        SourceAuth::ALL.into_iter().find(|a| a.as_str() == text.trim())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertSource {
    pub id: AlertSourceId,
    pub name: String,
    /// The adapter its pushes go through.
    pub kind: SourceKind,
    pub auth: SourceAuth,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}
