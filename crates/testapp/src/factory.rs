//! Factories: a tenant with the default role matrix, a user of a given role in it (then logged
//! in through the API), a tenant with its administrator. They write the rows directly with the
//! application role, inside the tenant's own transaction and without audit rows, so that they
//! are fast and independent of the routes and audit trails under test.

use crate::app::{TestApp, access_token};
use identity::password::NewPassword;
use platform::access::Role;
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
        sqlx::query("insert into tenants (id, name, slug) values ($1, $2, $2)")
            .bind(tenant)
            .bind(slug)
            .execute(&mut *tx)
            .await
            .expect("insert tenant");
        for role in Role::ALL {
            let permissions: Vec<&str> =
                role.default_permissions().iter().map(|p| p.as_str()).collect();
            sqlx::query(
                "insert into role_permissions (tenant_id, role, permission)
                 select $1, $2, unnest($3::text[])",
            )
            .bind(tenant)
            .bind(role.as_str())
            .bind(&permissions)
            .execute(&mut *tx)
            .await
            .expect("seed roles");
        }
        tx.commit().await.expect("commit");
        tenant
    }

    /// A new user with `role` in `tenant`, logged in there.
    pub async fn member(&self, tenant: TenantId, email: &str, role: Role) -> Member {
        let user = UserId::generate();
        let password = NewPassword::parse(MEMBER_PASSWORD, email).expect("password policy");
        let hash = self.services.identity.hasher().hash(&password).await.expect("hash");
        let mut tx = self.db.app.tenant_tx(tenant).await.expect("tenant tx");
        sqlx::query(
            "insert into users (id, email, display_name, password_hash, email_verified_at)
             values ($1, $2, 'Test User', $3, now())",
        )
        .bind(user)
        .bind(email)
        .bind(&hash)
        .execute(&mut *tx)
        .await
        .expect("insert user");
        sqlx::query("insert into memberships (tenant_id, user_id, role) values ($1, $2, $3)")
            .bind(tenant)
            .bind(user)
            .bind(role.as_str())
            .execute(&mut *tx)
            .await
            .expect("insert membership");
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

    /// Makes the existing `user` a member of `tenant` with `role` (no invitation, no audit row).
    pub async fn add_membership(&self, tenant: TenantId, user: UserId, role: Role) {
        let mut tx = self.db.app.tenant_tx(tenant).await.expect("tenant tx");
        sqlx::query("insert into memberships (tenant_id, user_id, role) values ($1, $2, $3)")
            .bind(tenant)
            .bind(user)
            .bind(role.as_str())
            .execute(&mut *tx)
            .await
            .expect("insert membership");
        tx.commit().await.expect("commit");
    }

    /// A new tenant `slug` and its tenant administrator `admin@<slug>.test`, logged in.
    pub async fn admin_of(&self, slug: &str) -> Member {
        let tenant = self.tenant(slug).await;
        self.member(tenant, &format!("admin@{slug}.test"), Role::TENANT_ADMIN).await
    }

    /// Creates an API key with `scopes` as the holder of `token`; panics unless it answers 201.
    pub async fn api_key(&self, token: &str, scopes: &[&str]) -> crate::CreatedKey {
        use crate::ResponseExt;
        let body = serde_json::json!({ "name": "test key", "scopes": scopes });
        self.post_as(token, "/v1/api-keys", &body).await.expect_json(201).await
    }
}
