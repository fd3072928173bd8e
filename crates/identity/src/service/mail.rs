//! The mail identity sends to people — an invitation, a password reset, an address to verify —
//! as one job (`AccountMail`), enqueued in the transaction of the change that calls for it and
//! sent through the installation's `Mailer` by whichever runner claims it.
//!
//! A job carries row ids (and, for a reset, the address asked about), never a token: the token
//! is remade from the row at send time (`credentials::email_token`). A password-reset job does
//! the look-up itself, so that asking for a reset takes the same time whether the address has
//! an account or not. It must not log a message body.

use super::Identity;
use crate::credentials::TokenFor;
use crate::model::{Email, InvitationId, InvitationStatus};
use crate::store::account_tokens::{self, Purpose};
use crate::store::{auth, invitations, tenants};
use chrono::{DateTime, Utc};
use platform::jobs::{EnqueueOptions, Job, JobContext, JobsError, enqueue};
use platform::mail::Mail;
use platform::{TenantId, UserId};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

/// Password resets one account may be sent per hour; further requests are answered alike and
/// sent nothing.
const RESETS_PER_HOUR: i64 = 3;

/// One message to send.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AccountMail {
    Invitation {
        tenant: TenantId,
        id: InvitationId,
    },
    /// Someone asked to reset the password of this address (it may have no account).
    PasswordReset {
        email: String,
    },
    Verification {
        id: Uuid,
    },
}

impl Job for AccountMail {
    const NAME: &'static str = "identity.account_mail";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let identity = ctx.extension::<Identity>().ok_or_else(|| {
            anyhow::anyhow!("the job runner has no Identity (Services::register_jobs)")
        })?;
        identity.send_account_mail(&self).await
    }
}

impl AccountMail {
    /// Queues this message in the caller's transaction.
    pub(crate) async fn enqueue(&self, conn: &mut PgConnection) -> Result<(), JobsError> {
        let job_key = match self {
            // Repeated requests for one address while one is waiting are one message.
            AccountMail::PasswordReset { email } => {
                Some(format!("password-reset:{}", email.to_ascii_lowercase()))
            }
            _ => None,
        };
        let options =
            EnqueueOptions { job_key, max_attempts: Some(8), ..EnqueueOptions::default() };
        enqueue(conn, self, options).await.map(|_| ())
    }
}

impl Identity {
    /// Sends `mail` now (the job's work). A message that no longer applies (an invitation
    /// accepted meanwhile, an address without an account) is dropped without error.
    pub async fn send_account_mail(&self, mail: &AccountMail) -> anyhow::Result<()> {
        let Some(message) = self.compose(mail).await? else { return Ok(()) };
        let mailer = self.inner.mailer.as_ref().ok_or_else(|| {
            anyhow::anyhow!("[mail] is not configured; the message cannot be sent")
        })?;
        mailer.send(&message).await.map_err(|e| anyhow::anyhow!("sending mail: {e}"))
    }

    async fn compose(&self, mail: &AccountMail) -> anyhow::Result<Option<Mail>> {
        match mail {
            AccountMail::Invitation { tenant, id } => self.compose_invitation(*tenant, *id).await,
            AccountMail::PasswordReset { email } => self.compose_reset(email).await,
            AccountMail::Verification { id } => self.compose_verification(*id).await,
        }
    }

    async fn compose_invitation(
        &self,
        tenant: TenantId,
        id: InvitationId,
    ) -> anyhow::Result<Option<Mail>> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let Some(invitation) = invitations::get(&mut tx, id, false).await? else { return Ok(None) };
        if invitation.status(Utc::now()) != InvitationStatus::Pending {
            return Ok(None);
        }
        let tenant_name = tenants::by_id(&mut tx, tenant, false).await?.map(|t| t.name);
        let inviter = match invitation.invited_by {
            Some(user) => auth::user_by_id(&mut tx, user).await?.map(|u| inviter_name(&u)),
            None => None,
        };
        drop(tx);
        let token = self.inner.tokens.token(&TokenFor::Invitation { tenant, id: id.as_uuid() });
        let link = format!("{}/invitations/accept?token={}", self.public_url(), token.expose());
        let tenant_name = tenant_name.unwrap_or_else(|| "a tenant".into());
        let text = format!(
            "{who} invited you to join \"{tenant_name}\" on Palisade as {role}.\n\n\
             Accept the invitation here (until {until}):\n{link}\n\n\
             Or with the API, choosing a password (or giving your own if you already have an \
             account):\n  curl -X POST {api}/v1/invitations/accept -H 'content-type: \
             application/json' -d '{{\"token\": \"{token}\", \"password\": \"...\"}}'\n\n\
             If you did not expect this invitation, ignore this message: nothing happens \
             until it is accepted.\n",
            who = inviter.as_deref().unwrap_or("An administrator"),
            role = invitation.role.as_str(),
            until = rfc3339(invitation.expires_at),
            api = self.public_url(),
            token = token.expose(),
        );
        let subject = format!("You are invited to {tenant_name} on Palisade");
        Ok(Some(Mail { to: invitation.email, subject, text }))
    }

    async fn compose_reset(&self, email: &str) -> anyhow::Result<Option<Mail>> {
        let Ok(email) = Email::parse(email) else { return Ok(None) };
        let mut conn = self.db().pool().begin().await?;
        let Some(user) = auth::user_by_email(&mut conn, email.as_str()).await? else {
            return Ok(None);
        };
        if user.status != "active" {
            return Ok(None);
        }
        let hour_ago = Utc::now() - chrono::Duration::hours(1);
        if account_tokens::count_since(&mut conn, user.id, Purpose::PasswordReset, hour_ago).await?
            >= RESETS_PER_HOUR
        {
            tracing::info!(user = %user.id, "password reset not sent: too many requested this hour");
            return Ok(None);
        }
        let expires_at = Utc::now() + self.settings().account_token_ttl;
        let id =
            account_tokens::insert(&mut conn, user.id, Purpose::PasswordReset, expires_at).await?;
        conn.commit().await?;
        let token = self.inner.tokens.token(&TokenFor::PasswordReset { id });
        let text = format!(
            "Someone asked to reset the password of your Palisade account {email}.\n\n\
             Choose a new password here (until {until}):\n{url}/password-reset?token={token}\n\n\
             Or with the API:\n  curl -X POST {url}/v1/auth/password-reset/confirm -H \
             'content-type: application/json' -d '{{\"token\": \"{token}\", \"password\": \"...\"}}'\n\n\
             Setting a new password ends every session and API key of the account. If you did \
             not ask for this, ignore this message: your password stays as it is.\n",
            until = rfc3339(expires_at),
            url = self.public_url(),
            token = token.expose(),
        );
        Ok(Some(Mail { to: user.email, subject: "Reset your Palisade password".into(), text }))
    }

    async fn compose_verification(&self, id: Uuid) -> anyhow::Result<Option<Mail>> {
        let mut conn = self.db().pool().begin().await?;
        let Some(row) = account_tokens::get_for_update(&mut conn, id, Purpose::EmailVerification)
            .await?
            .filter(|row| row.used_at.is_none() && row.expires_at > Utc::now())
        else {
            return Ok(None);
        };
        let Some(user) = auth::user_by_id(&mut conn, row.user_id).await? else { return Ok(None) };
        drop(conn);
        let token = self.inner.tokens.token(&TokenFor::EmailVerification { id });
        let text = format!(
            "Confirm that {email} is your address to finish creating your Palisade account \
             (until {until}):\n{url}/verify-email?token={token}\n\n\
             Or with the API:\n  curl -X POST {url}/v1/auth/verify-email -H \
             'content-type: application/json' -d '{{\"token\": \"{token}\"}}'\n\n\
             If you did not register, ignore this message: the account stays unusable.\n",
            email = user.email,
            until = rfc3339(row.expires_at),
            url = self.public_url(),
            token = token.expose(),
        );
        Ok(Some(Mail { to: user.email, subject: "Confirm your Palisade address".into(), text }))
    }

    fn public_url(&self) -> &str {
        self.settings().public_url.trim_end_matches('/')
    }
}

fn inviter_name(user: &auth::UserRecord) -> String {
    match user.display_name.trim() {
        "" => user.email.clone(),
        name => format!("{name} ({})", user.email),
    }
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Queues the mail of a new verification token for `user` (registration).
pub(crate) async fn queue_verification(
    conn: &mut PgConnection,
    user: UserId,
    ttl: chrono::Duration,
) -> anyhow::Result<()> {
    let id =
        account_tokens::insert(conn, user, Purpose::EmailVerification, Utc::now() + ttl).await?;
    AccountMail::Verification { id }.enqueue(conn).await?;
    Ok(())
}
