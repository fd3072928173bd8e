//! Invitations: how a person joins a tenant. An administrator names an address and a role; the
//! invitee gets a single-use, expiring link by email and accepts it — setting a password when
//! the address has no account (or only an unverified one), proving the account's password when
//! it has one. Until then the invitation grants nothing.
//!
//! The inviter learns nothing of the address: the answer, its timing and the audit row are the
//! same whether an account exists or not (the account is only looked at on acceptance). The
//! inviter must hold every permission of the role (`access::may_assign_role`). It must not
//! attach an existing account to a tenant without that account's consent.

use super::Identity;
use super::access;
use super::changes::{Change, announce};
use super::mail::AccountMail;
use super::sessions::{SessionKind, TokenPair};
use super::users::parse_role;
use crate::credentials::TokenFor;
use crate::error::{Conflict, ManageError};
use crate::model::{Email, Invitation, InvitationId, InvitationStatus, parse_name};
use crate::password::NewPassword;
use crate::store::invitations::{self, NewInvitation};
use crate::store::{auth, users};
use chrono::Utc;
use platform::access::{Permission, Principal};
use platform::audit::{self, Actor, AuditEntry, RequestContext};
use platform::{Page, PageRequest, Secret, TenantTx, UserId};
use serde_json::json;

/// What the invitee sends to accept.
#[derive(Debug)]
pub struct Acceptance<'a> {
    pub token: &'a str,
    /// The new account's password, or the existing account's own.
    pub password: &'a Secret<String>,
    /// For a new account.
    pub display_name: Option<&'a str>,
}

impl Identity {
    /// Invites `email` to the principal's tenant with `role`, replacing a pending invitation of
    /// the same address, and mails the link.
    pub async fn invite(
        &self,
        context: &RequestContext,
        principal: &Principal,
        email: &str,
        role: &str,
    ) -> Result<Invitation, ManageError> {
        principal.require(Permission::USERS_MANAGE)?;
        let email = Email::parse(email)?;
        let role = parse_role("role", role)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        access::may_assign_role(&mut tx, principal, role).await?;
        if self.inner.mailer.is_none() {
            return Err(ManageError::conflict(
                Conflict::MailNotConfigured,
                "Invitations are sent by email: configure [mail] (or add the user with \
                 `palisade admin create-user`).",
            ));
        }
        invitations::revoke_pending_for(&mut tx, email.as_str()).await?;
        let new = NewInvitation {
            id: InvitationId::generate(),
            email: email.as_str(),
            role,
            invited_by: principal.user,
            expires_at: Utc::now() + self.settings().invitation_ttl,
        };
        let invitation = invitations::insert(&mut tx, &new).await?;
        let mail = AccountMail::Invitation { tenant: principal.tenant, id: invitation.id };
        mail.enqueue(&mut tx).await?;
        let summary = json!({ "email": email.as_str(), "role": role.as_str() });
        let entry = principal.audit(
            context,
            "user.invite",
            "invitation",
            Some(invitation.id.to_string()),
            summary,
        );
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(invitation)
    }

    /// A page of the tenant's invitations, newest first.
    pub async fn list_invitations(
        &self,
        principal: &Principal,
        page: &PageRequest,
    ) -> Result<Page<Invitation>, ManageError> {
        principal.require(Permission::USERS_VIEW)?;
        let before: Option<InvitationId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = invitations::list(&mut tx, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |invitation| invitation.id))
    }

    /// Withdraws a pending invitation; its link stops working.
    pub async fn revoke_invitation(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: InvitationId,
    ) -> Result<Invitation, ManageError> {
        principal.require(Permission::USERS_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let Some(revoked) = invitations::revoke(&mut tx, id).await? else {
            return match invitations::get(&mut tx, id, false).await? {
                Some(_) => Err(ManageError::conflict(
                    Conflict::InvitationClosed,
                    "This invitation was already accepted, revoked or replaced.",
                )),
                None => Err(ManageError::NotFound("invitation")),
            };
        };
        let summary = json!({ "email": revoked.email, "role": revoked.role.as_str() });
        let entry = principal.audit(
            context,
            "invitation.revoke",
            "invitation",
            Some(id.to_string()),
            summary,
        );
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(revoked)
    }

    /// Accepts an invitation with its token: the invitee becomes a member with the invited
    /// role and is logged in there.
    pub async fn accept_invitation(
        &self,
        context: &RequestContext,
        acceptance: &Acceptance<'_>,
    ) -> Result<TokenPair, ManageError> {
        let TokenFor::Invitation { tenant, id } =
            self.inner.tokens.check(acceptance.token).map_err(|_| ManageError::InvalidToken)?
        else {
            return Err(ManageError::InvalidToken);
        };
        let id = InvitationId::from_uuid(id);
        let mut tx = self.db().tenant_tx(tenant).await?;
        let invitation =
            invitations::get(&mut tx, id, true).await?.ok_or(ManageError::InvalidToken)?;
        if invitation.status(Utc::now()) != InvitationStatus::Pending {
            return Err(ManageError::InvalidToken);
        }
        let email = Email::parse(&invitation.email)?;
        let user = self.account_for(&mut tx, &email, acceptance).await?;
        users::insert_membership(&mut tx, user, invitation.role).await?;
        invitations::mark_accepted(&mut tx, id, user).await?;
        let entry = AuditEntry {
            actor: Actor::User(user),
            action: "user.join",
            target_type: "invitation",
            target_id: Some(id.to_string()),
            context,
            summary: json!({ "email": email.as_str(), "role": invitation.role.as_str() }),
        };
        audit::record(&mut tx, &entry).await?;
        let change = Change::Member(tenant, user);
        announce(&mut tx, &change).await?;
        let pair = self.start_session(&mut tx, user, invitation.role, SessionKind::Api).await?;
        tx.commit().await?;
        self.forget(&change);
        self.forget(&Change::User(user));
        Ok(pair)
    }

    /// The account the invitee joins with. No account, or one never verified (which the
    /// invitee now proves is theirs): it is made or taken over with the given password. A
    /// verified account: the given password must be its own.
    async fn account_for(
        &self,
        tx: &mut TenantTx,
        email: &Email,
        acceptance: &Acceptance<'_>,
    ) -> Result<UserId, ManageError> {
        let existing = auth::user_by_email(tx, email.as_str()).await?;
        if let Some(account) = existing.as_ref().filter(|u| u.email_verified_at.is_some()) {
            let hash = account.password_hash.as_deref();
            if !self.hasher().verify(acceptance.password.expose(), hash).await? {
                return Err(ManageError::WrongPassword);
            }
            return Ok(account.id);
        }
        let password = NewPassword::parse(acceptance.password.expose(), email.as_str())
            .map_err(|e| ManageError::Invalid(e.invalid("password")))?;
        let name = acceptance.display_name.map(|n| parse_name("display_name", n)).transpose()?;
        let hash = self.hasher().hash(&password).await?;
        let name = name.unwrap_or_default();
        match existing {
            Some(unverified) => {
                users::claim_unverified(tx, unverified.id, &hash, &name).await?;
                Ok(unverified.id)
            }
            None => {
                let id = UserId::generate();
                let new = users::NewUser {
                    id,
                    email,
                    display_name: &name,
                    password_hash: Some(&hash),
                    global_admin: false,
                    verified: true,
                };
                users::insert_user(tx, &new).await?;
                Ok(id)
            }
        }
    }
}
