//! Managing API keys: create (the key is returned once, only its prefix and HMAC digest are
//! stored), list and revoke. A key's scopes are permission names and may not exceed the creating
//! principal's own permissions. It must not return, log or audit the key or its digest, and it
//! does not authenticate keys (see `authenticate`).

use super::Identity;
use super::changes::{Change, announce};
use crate::credentials::NewApiKey;
use crate::error::ManageError;
use crate::model::ApiKeyRow;
use crate::store::api_keys::{self, NewApiKeyRow};
use chrono::{DateTime, Utc};
use platform::access::{Permission, PermissionSet, Principal};
use platform::audit::{self, RequestContext};
use platform::{ApiKeyId, FieldCode, Page, PageRequest, Secret};
use serde_json::json;

/// Longest API key name, in characters.
const MAX_NAME_CHARS: usize = 100;

/// A key just created: its row and the full key, which is shown to the creator this once.
#[derive(Debug)]
pub struct CreatedApiKey {
    pub row: ApiKeyRow,
    pub key: Secret<String>,
}

/// What a client asks for, not yet validated.
#[derive(Debug)]
pub struct ApiKeyRequest<'a> {
    pub name: &'a str,
    pub scopes: &'a [String],
    /// RFC 3339, in the future.
    pub expires_at: Option<&'a str>,
}

impl Identity {
    /// Creates an API key in the principal's tenant.
    #[tracing::instrument(skip(self, context, principal, request))]
    pub async fn create_api_key(
        &self,
        context: &RequestContext,
        principal: &Principal,
        request: &ApiKeyRequest<'_>,
    ) -> Result<CreatedApiKey, ManageError> {
        principal.require(Permission::API_KEYS_MANAGE)?;
        let name = parse_key_name(request.name)?;
        let scopes = parse_scopes(request.scopes)?;
        let expires_at =
            request.expires_at.map(|text| parse_expiry(text, Utc::now())).transpose()?;
        let beyond: Vec<&str> =
            scopes.iter().filter(|p| !principal.can(**p)).map(|p| p.as_str()).collect();
        if !beyond.is_empty() {
            return Err(ManageError::forbidden(format!(
                "An API key cannot have permissions its creator lacks: {}.",
                beyond.join(", ")
            )));
        }
        let new = NewApiKey::generate();
        let digest = self.inner.pepper.digest(new.key.expose());
        let names: Vec<&str> = scopes.iter().map(|p| p.as_str()).collect();
        let row = NewApiKeyRow {
            id: ApiKeyId::generate(),
            name: &name,
            prefix: &new.prefix,
            digest: &digest,
            scopes: &names,
            created_by: principal.user,
            expires_at,
        };
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let row = api_keys::insert(&mut tx, &row).await?;
        let entry = principal.audit(
            context,
            "api_key.create",
            "api_key",
            Some(row.id.to_string()),
            json!({ "name": row.name, "prefix": row.prefix, "scopes": row.scopes, "expires_at": row.expires_at }),
        );
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(CreatedApiKey { row, key: new.key })
    }

    /// A page of the tenant's keys, newest first.
    #[tracing::instrument(skip(self, principal))]
    pub async fn list_api_keys(
        &self,
        principal: &Principal,
        page: &PageRequest,
    ) -> Result<Page<ApiKeyRow>, ManageError> {
        principal.require(Permission::API_KEYS_MANAGE)?;
        let before: Option<ApiKeyId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = api_keys::list(&mut tx, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |row| row.id))
    }

    /// Revokes a key of the principal's tenant; it stops working at once, in every process.
    /// Revoking a revoked key changes nothing and succeeds; another tenant's key is not found.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn revoke_api_key(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: ApiKeyId,
    ) -> Result<(), ManageError> {
        principal.require(Permission::API_KEYS_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let Some(row) = api_keys::revoke(&mut tx, id).await? else {
            return match api_keys::get(&mut tx, id).await? {
                Some(_) => Ok(()),
                None => Err(ManageError::NotFound("API key")),
            };
        };
        let change = Change::ApiKey(row.prefix.clone());
        announce(&mut tx, &change).await?;
        let entry = principal.audit(
            context,
            "api_key.revoke",
            "api_key",
            Some(row.id.to_string()),
            json!({ "name": row.name, "prefix": row.prefix }),
        );
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        self.forget(&change);
        Ok(())
    }
}

/// A key's name: trimmed, 1 to 100 characters, no control characters.
fn parse_key_name(text: &str) -> Result<String, ManageError> {
    let name = text.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(ManageError::invalid(
            "name",
            FieldCode::INVALID_NAME,
            "1 to 100 characters, no control characters",
        ));
    }
    Ok(name.to_string())
}

/// Scopes: at least one, each a permission name (duplicates collapse).
fn parse_scopes(names: &[String]) -> Result<PermissionSet, ManageError> {
    if names.is_empty() {
        return Err(ManageError::invalid(
            "scopes",
            FieldCode::REQUIRED,
            "give at least one permission",
        ));
    }
    let unknown: Vec<&str> =
        names.iter().filter(|n| Permission::parse(n).is_none()).map(String::as_str).collect();
    if !unknown.is_empty() {
        let shown: Vec<String> = unknown.iter().take(5).map(|n| format!("{n:.64}")).collect();
        return Err(ManageError::invalid(
            "scopes",
            FieldCode::UNKNOWN_PERMISSION,
            format!("unknown permission: {}", shown.join(", ")),
        ));
    }
    Ok(names.iter().filter_map(|n| Permission::parse(n)).collect())
}

/// An expiry: an RFC 3339 instant after `now`.
fn parse_expiry(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, ManageError> {
    let at = DateTime::parse_from_rfc3339(text.trim())
        .map_err(|_| {
            ManageError::invalid(
                "expires_at",
                FieldCode::INVALID_TIMESTAMP,
                "an RFC 3339 timestamp",
            )
        })?
        .with_timezone(&Utc);
    if at <= now {
        return Err(ManageError::invalid(
            "expires_at",
            FieldCode::NOT_IN_FUTURE,
            "must be in the future",
        ));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_limited_to_100_characters() {
        assert_eq!(parse_key_name("  ci  ").unwrap(), "ci");
        assert!(parse_key_name(&"é".repeat(100)).is_ok());
        for bad in ["", "   ", "a\u{7}b"] {
            assert!(parse_key_name(bad).is_err(), "{bad:?}");
        }
        assert!(parse_key_name(&"x".repeat(101)).is_err());
    }

    #[test]
    fn scopes_must_be_known_permissions_and_not_empty() {
        let scopes = parse_scopes(&["AUDIT_VIEW".into(), "AUDIT_VIEW".into()]).unwrap();
        assert_eq!(scopes.into_iter().collect::<Vec<_>>(), vec![Permission::AUDIT_VIEW]);
        assert!(parse_scopes(&[]).is_err());
        assert!(parse_scopes(&["audit_view".into()]).is_err());
    }

    #[test]
    fn expiry_must_be_rfc3339_and_in_the_future() {
        let now = Utc::now();
        let later = (now + chrono::Duration::hours(1)).to_rfc3339();
        assert!(parse_expiry(&later, now).is_ok());
        assert!(parse_expiry(&now.to_rfc3339(), now).is_err());
        assert!(parse_expiry("tomorrow", now).is_err());
    }
}
