//! `GET /v1/auth/me`: the authenticated user, their current tenant, role and permissions.

use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use identity::Identity;
use identity::service::profile::Profile;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub user: Option<MeUser>,
    pub tenant: MeTenant,
    /// `null` for an API key, which carries scopes instead of a role.
    pub role: Option<String>,
    pub permissions: Vec<String>,
    pub is_global_admin: bool,
    /// The administrator's own tenant when acting in this one with `X-Tenant-Id`.
    pub acting_from_tenant_id: Option<uuid::Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct MeUser {
    pub id: uuid::Uuid,
    pub email: String,
    pub display_name: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeTenant {
    pub id: uuid::Uuid,
    pub name: String,
    pub slug: String,
}

#[utoipa::path(get, path = "/v1/auth/me", tag = "auth",
    responses((status = 200, description = "Who you are here", body = Me)))]
pub async fn me(
    State(identity): State<Identity>,
    Auth(principal): Auth,
) -> Result<Json<Me>, ApiError> {
    Ok(Json(me_of(identity.profile(&principal).await?)))
}

/// The `/me` answer of a profile.
pub fn me_of(profile: Profile) -> Me {
    let user = match (profile.user_id, profile.email) {
        (Some(id), Some(email)) => Some(MeUser {
            id: id.as_uuid(),
            email,
            display_name: profile.display_name.unwrap_or_default(),
        }),
        _ => None,
    };
    Me {
        user,
        tenant: MeTenant {
            id: profile.tenant_id.as_uuid(),
            name: profile.tenant_name,
            slug: profile.tenant_slug,
        },
        role: profile.role.map(|r| r.as_str().to_string()),
        permissions: profile.permissions.into_iter().map(str::to_string).collect(),
        is_global_admin: profile.is_global_admin,
        acting_from_tenant_id: profile.acting_from_tenant_id.map(|t| t.as_uuid()),
    }
}
