//! `/v1/invitations`: how people join a tenant. Administrators (`USERS_MANAGE`) invite an address
//! with a role and revoke pending invitations; `USERS_VIEW` lists them; the invitee accepts with
//! the mailed token (public). Handlers only translate HTTP to `Identity` calls: the rules (the
//! inviter holds the role's permissions, nothing is revealed of the address, consent by token)
//! live in `identity::service::invitations`.

pub mod accept;
pub mod create;
pub mod list;
pub mod revoke;

use crate::guard;
use chrono::{DateTime, Utc};
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use identity::model::{Invitation, InvitationId};
use platform::UserId;
use platform::access::Permission;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let manage = Access::Permission(Permission::USERS_MANAGE);
    let view = Access::Permission(Permission::USERS_VIEW);
    OpenApiRouter::new()
        .routes(guard(manage, Tier::General, routes!(create::create)))
        .routes(guard(view, Tier::General, routes!(list::list)))
        .routes(guard(manage, Tier::General, routes!(revoke::revoke)))
        .routes(guard(Access::Public, Tier::Auth, routes!(accept::accept)))
}

/// An invitation as its tenant's administrators see it. It never says whether an account with
/// the address exists.
#[derive(Serialize, ToSchema)]
pub struct InvitationItem {
    pub id: InvitationId,
    pub email: String,
    /// The role the invitee gets on accepting.
    pub role: String,
    /// `pending`, `accepted`, `revoked` or `expired`.
    pub status: String,
    pub invited_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

impl From<Invitation> for InvitationItem {
    fn from(invitation: Invitation) -> Self {
        InvitationItem {
            status: invitation.status(Utc::now()).as_str().to_string(),
            id: invitation.id,
            email: invitation.email,
            role: invitation.role.as_str().to_string(),
            invited_by: invitation.invited_by,
            created_at: invitation.created_at,
            expires_at: invitation.expires_at,
            accepted_at: invitation.accepted_at,
        }
    }
}
