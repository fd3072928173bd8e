//! Factories: a tenant with a user of a given role, made directly through the identity stores
//! (fast, and independent of the routes under test), then logged in through the API.

use crate::app::{TestApp, access_token};
use identity::Role;
use identity::model::{Email, Slug};
use identity::password::NewPassword;
use identity::store::{rbac, tenants, users};
use platform::{TenantId, UserId};

/// A user created by `TestApp::member`, with an access token in their tenant.
pub struct Member {
    pub tenant: TenantId,
    pub user: UserId,
    pub email: String,
    pub password: String,
    pub token: String,
    pub refresh_token: String,
}

pub const MEMBER_PASSWORD: &str = "a-long-enough-test-passphrase";

impl TestApp {
    /// A new tenant (default role matrix) with slug `slug`.
    pub async fn tenant(&self, slug: &str) -> TenantId {
        let tenant = TenantId::generate();
        let mut tx = self.db.app.tenant_tx(tenant).await.expect("tenant tx");
        tenants::insert(&mut tx, tenant, slug, &Slug::parse(slug).expect("slug"))
            .await
            .expect("insert tenant");
        rbac::seed_defaults(&mut tx, tenant).await.expect("seed roles");
        tx.commit().await.expect("commit");
        tenant
    }

    /// A new user with `role` in `tenant`, logged in there.
    pub async fn member(&self, tenant: TenantId, email: &str, role: Role) -> Member {
        let user = UserId::generate();
        let email_value = Email::parse(email).expect("email");
        let password = NewPassword::parse(MEMBER_PASSWORD, email).expect("password policy");
        let hash = self.state.identity.hasher().hash(&password).await.expect("hash");
        let mut tx = self.db.app.tenant_tx(tenant).await.expect("tenant tx");
        users::insert_user(&mut tx, user, &email_value, "Test User", Some(&hash), false)
            .await
            .expect("insert user");
        users::insert_membership(&mut tx, tenant, user, role).await.expect("insert membership");
        tx.commit().await.expect("commit");
        let tokens = self.login(email, MEMBER_PASSWORD, Some(&tenant.to_string())).await;
        Member {
            tenant,
            user,
            email: email.to_string(),
            password: MEMBER_PASSWORD.to_string(),
            token: access_token(&tokens),
            refresh_token: tokens["refresh_token"].as_str().expect("refresh_token").to_string(),
        }
    }
}
