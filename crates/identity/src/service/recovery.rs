//! Account recovery by email: asking for a password reset (answered the same whether the address
//! has an account or not), confirming it with the mailed token, and verifying a registered
//! address.
//!
//! A reset is single-use and expires; confirming it sets the password and ends every session and
//! API key of the account, in every tenant, and is audited. It must not reveal whether an
//! address has an account.

use super::Identity;
use super::mail::AccountMail;
use super::operator::end_sessions_everywhere;
use crate::credentials::TokenFor;
use crate::error::ManageError;
use crate::model::Email;
use crate::password::NewPassword;
use crate::store::account_tokens::{self, Purpose};
use crate::store::{auth, users};
use chrono::Utc;
use platform::audit::{self, Actor, AuditEntry, RequestContext};
use platform::{Secret, TenantId};
use serde_json::json;

impl Identity {
    /// Queues a reset link for `email` if it has an active account. The answer and its timing
    /// are the same either way: the look-up happens in the mail job.
    pub async fn request_password_reset(
        &self,
        context: &RequestContext,
        email: &str,
    ) -> Result<(), ManageError> {
        let email = Email::parse(email)?;
        let mut tx = self.db().tenant_tx(TenantId::PLATFORM).await?;
        AccountMail::PasswordReset { email: email.as_str().to_string() }.enqueue(&mut tx).await?;
        let entry = AuditEntry {
            actor: Actor::System,
            action: "user.password_reset_requested",
            target_type: "email",
            target_id: None,
            context,
            summary: json!({ "email": email.as_str() }),
        };
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password with a reset token, and ends every session and key of the account.
    pub async fn confirm_password_reset(
        &self,
        context: &RequestContext,
        token: &str,
        password: &Secret<String>,
    ) -> Result<(), ManageError> {
        let Ok(TokenFor::PasswordReset { id }) = self.inner.tokens.check(token) else {
            return Err(ManageError::InvalidToken);
        };
        let mut tx = self.db().tenant_tx(TenantId::PLATFORM).await?;
        let row = account_tokens::get_for_update(&mut tx, id, Purpose::PasswordReset)
            .await?
            .filter(|row| row.used_at.is_none() && row.expires_at > Utc::now())
            .ok_or(ManageError::InvalidToken)?;
        let user = auth::user_by_id(&mut tx, row.user_id)
            .await?
            .filter(|u| u.status == "active")
            .ok_or(ManageError::InvalidToken)?;
        let new = NewPassword::parse(password.expose(), &user.email)
            .map_err(|e| ManageError::Invalid(e.invalid("password")))?;
        let hash = self.hasher().hash(&new).await?;
        users::set_password(&mut tx, user.id, &hash).await?;
        // The link proved control of the address.
        users::mark_verified(&mut tx, user.id).await?;
        account_tokens::spend_all(&mut tx, user.id, Purpose::PasswordReset).await?;
        end_sessions_everywhere(
            &mut tx,
            Actor::User(user.id),
            context,
            user.id,
            "user.password_reset",
        )
        .await?;
        tx.commit().await?;
        self.forget(&super::changes::Change::User(user.id));
        Ok(())
    }

    /// Marks a registered address as verified with the mailed token: the account can log in.
    pub async fn verify_email(
        &self,
        context: &RequestContext,
        token: &str,
    ) -> Result<(), ManageError> {
        let Ok(TokenFor::EmailVerification { id }) = self.inner.tokens.check(token) else {
            return Err(ManageError::InvalidToken);
        };
        let mut tx = self.db().tenant_tx(TenantId::PLATFORM).await?;
        let row = account_tokens::get_for_update(&mut tx, id, Purpose::EmailVerification)
            .await?
            .filter(|row| row.used_at.is_none() && row.expires_at > Utc::now())
            .ok_or(ManageError::InvalidToken)?;
        users::mark_verified(&mut tx, row.user_id).await?;
        account_tokens::spend_all(&mut tx, row.user_id, Purpose::EmailVerification).await?;
        let entry = AuditEntry {
            actor: Actor::User(row.user_id),
            action: "user.verify_email",
            target_type: "user",
            target_id: Some(row.user_id.to_string()),
            context,
            summary: json!({}),
        };
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        self.forget(&super::changes::Change::User(row.user_id));
        Ok(())
    }
}
