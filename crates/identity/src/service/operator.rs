//! What an operator does at the console (`palisade admin …`) that has no HTTP route: creating a
//! user with a password in a tenant, resetting a password and ending every session of a user,
//! across all their tenants. The operator is trusted (audited as the system); an account made
//! here counts as verified.

use super::Identity;
use super::changes::{Change, announce};
use super::users::parse_role;
use crate::error::ManageError;
use crate::model::{Email, MemberRow, parse_name};
use crate::password::NewPassword;
use crate::store::{auth, members, sessions, users};
use platform::audit::{self, Actor, AuditEntry, RequestContext};
use platform::{Secret, TenantId, UserId};
use rand::Rng;
use serde_json::json;

/// Who the operator adds (`palisade admin create-user`).
#[derive(Debug)]
pub struct OperatorMember<'a> {
    pub email: &'a str,
    pub role: &'a str,
    pub display_name: Option<&'a str>,
    /// The new account's password; generated when `None`. Ignored for an existing account,
    /// which the operator is told.
    pub password: Option<&'a str>,
}

impl Identity {
    /// Sets a new password (generated when `password` is `None`, and returned so it can be shown
    /// once) and ends every session of the user.
    pub async fn reset_password(
        &self,
        context: &RequestContext,
        email: &str,
        password: Option<&str>,
    ) -> Result<Secret<String>, ManageError> {
        let email = Email::parse(email)?;
        let chosen =
            password.map(str::to_string).unwrap_or_else(|| generate_password(email.as_str()));
        let new = NewPassword::parse(&chosen, email.as_str())
            .map_err(|e| ManageError::Invalid(e.invalid("password")))?;
        let hash = self.hasher().hash(&new).await?;
        let user = self.user_id(&email).await?;
        let mut tx = self.db().tenant_tx(TenantId::PLATFORM).await?;
        sqlx::query("update users set password_hash = $2, updated_at = now() where id = $1")
            .bind(user)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
        end_sessions_everywhere(&mut tx, Actor::System, context, user, "user.reset_password")
            .await?;
        tx.commit().await?;
        self.after_sessions_ended(user);
        Ok(Secret::new(chosen))
    }

    /// Ends every session of the user in every tenant: access tokens issued before now and all
    /// refresh tokens stop working.
    pub async fn revoke_sessions(
        &self,
        context: &RequestContext,
        email: &str,
    ) -> Result<(), ManageError> {
        let email = Email::parse(email)?;
        let user = self.user_id(&email).await?;
        let mut tx = self.db().tenant_tx(TenantId::PLATFORM).await?;
        end_sessions_everywhere(&mut tx, Actor::System, context, user, "user.revoke_sessions")
            .await?;
        tx.commit().await?;
        self.after_sessions_ended(user);
        Ok(())
    }

    /// Adds `email` to `tenant` with `role`, creating the account (verified, with `password` or a
    /// generated one, returned so it can be shown once) when there is none; an existing account
    /// keeps its password. The operator's path: people otherwise join by invitation.
    pub async fn create_member(
        &self,
        context: &RequestContext,
        tenant: TenantId,
        new: OperatorMember<'_>,
    ) -> Result<(MemberRow, Option<Secret<String>>), ManageError> {
        let email = Email::parse(new.email)?;
        let role = parse_role("role", new.role)?;
        let name = new.display_name.map(|n| parse_name("display_name", n)).transpose()?;
        let mut conn = self.db().pool().acquire().await?;
        let existing = users::id_by_email(&mut conn, &email).await?;
        drop(conn);
        let mut tx = self.db().tenant_tx(tenant).await?;
        let (user, password) = match existing {
            Some(user) => (user, None),
            None => {
                let chosen = new
                    .password
                    .map(str::to_string)
                    .unwrap_or_else(|| generate_password(email.as_str()));
                let password = NewPassword::parse(&chosen, email.as_str())
                    .map_err(|e| ManageError::Invalid(e.invalid("password")))?;
                let hash = self.hasher().hash(&password).await?;
                let user = UserId::generate();
                let row = users::NewUser {
                    id: user,
                    email: &email,
                    display_name: name.as_deref().unwrap_or_default(),
                    password_hash: Some(&hash),
                    global_admin: false,
                    verified: true,
                };
                users::insert_user(&mut tx, &row).await?;
                (user, Some(Secret::new(chosen)))
            }
        };
        users::insert_membership(&mut tx, user, role).await?;
        let member = members::get(&mut tx, user).await?.ok_or(ManageError::NotFound("user"))?;
        let entry = AuditEntry {
            actor: Actor::System,
            action: "user.add",
            target_type: "user",
            target_id: Some(user.to_string()),
            context,
            summary: json!({ "email": email.as_str(), "role": role.as_str(), "new_account": password.is_some() }),
        };
        audit::record(&mut tx, &entry).await?;
        let change = Change::Member(tenant, user);
        announce(&mut tx, &change).await?;
        tx.commit().await?;
        self.forget(&change);
        Ok((member, password))
    }

    /// The tenant `text` names: its id or its slug.
    pub async fn find_tenant(&self, text: &str) -> Result<Option<TenantId>, ManageError> {
        let mut conn = self.db().pool().acquire().await?;
        Ok(auth::tenant_by_id_or_slug(&mut conn, text.trim()).await?)
    }

    /// The user with this email, if there is one.
    pub async fn find_user(&self, email: &str) -> Result<Option<UserId>, ManageError> {
        let email = Email::parse(email)?;
        let mut conn = self.db().pool().acquire().await?;
        Ok(users::id_by_email(&mut conn, &email).await?)
    }

    async fn user_id(&self, email: &Email) -> Result<UserId, ManageError> {
        let mut conn = self.db().pool().acquire().await?;
        users::id_by_email(&mut conn, email).await?.ok_or(ManageError::NotFound("user"))
    }

    fn after_sessions_ended(&self, user: UserId) {
        self.forget(&Change::User(user));
    }
}

/// In the caller's transaction: refuses every access token and API key of `user` made before
/// now, revokes the refresh tokens of every tenant the user belongs to (moving the transaction's
/// scope from tenant to tenant) and writes one platform audit row. The transaction ends in the
/// platform scope.
pub(crate) async fn end_sessions_everywhere(
    tx: &mut platform::TenantTx,
    actor: Actor,
    context: &RequestContext,
    user: UserId,
    action: &'static str,
) -> Result<(), ManageError> {
    tx.switch_tenant(TenantId::PLATFORM).await?;
    sessions::invalidate_sessions_of(tx, user).await?;
    announce(tx, &Change::User(user)).await?;
    let entry = AuditEntry {
        actor,
        action,
        target_type: "user",
        target_id: Some(user.to_string()),
        context,
        summary: json!({}),
    };
    audit::record(tx, &entry).await?;
    sqlx::query("select set_config('app.user_id', $1, true)")
        .bind(user.to_string())
        .execute(&mut **tx)
        .await?;
    let tenants: Vec<TenantId> =
        sqlx::query_scalar("select tenant_id from memberships where user_id = $1")
            .bind(user)
            .fetch_all(&mut **tx)
            .await?;
    for tenant in tenants {
        tx.switch_tenant(tenant).await?;
        sessions::revoke_user(tx, user).await?;
    }
    tx.switch_tenant(TenantId::PLATFORM).await?;
    Ok(())
}

/// 24 characters from an unambiguous alphabet (about 138 bits) that pass the password policy
/// for `email`: a random one contains the address's local part once in a few thousand draws
/// (`ops` in `…xOPsq…`), and is then drawn again.
pub fn generate_password(email: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::rng();
    loop {
        let drawn: String =
            (0..24).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
        if NewPassword::parse(&drawn, email).is_ok() {
            return drawn;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_password_always_passes_the_policy_for_its_email() {
        // "ops" turns up in a random draw once in a few thousand; 5,000 draws would meet it.
        for _ in 0..5_000 {
            let password = generate_password("ops@acme.test");
            assert!(NewPassword::parse(&password, "ops@acme.test").is_ok(), "{password}");
            assert_eq!(password.len(), 24);
        }
    }
}
