-- access by consent: verified email addresses, invitations a tenant sends and the invitee
-- accepts, and the single-use tokens of account recovery (password reset, email verification).
--
-- no token is stored: a token is `<kind>_<row id>_<mac>`, the mac an hmac of the kind and the row
-- id under a server key, so a copy of these tables opens nothing. a row records only whether its
-- token was used and when it expires.

-- an account whose owner has not proven control of its email (self-registration) can do
-- nothing until they do; every account that existed before this migration was created by an
-- administrator or an operator, and counts as verified.
alter table users add column email_verified_at timestamptz;
update users set email_verified_at = created_at;

-- an invitation to join a tenant with a role. it grants nothing until accepted with its token;
-- the inviter held every permission of the role when it was sent.
create table invitations (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    email text not null check (length(email) between 3 and 254),
    role text not null,
    invited_by uuid references users (id),
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    accepted_at timestamptz,
    accepted_by uuid references users (id),
    revoked_at timestamptz,
    primary key (tenant_id, id)
);
-- one pending invitation per address and tenant; a new one replaces (revokes) the old.
create unique index invitations_pending_key on invitations (tenant_id, lower(email))
    where accepted_at is null and revoked_at is null;

alter table invitations enable row level security;
alter table invitations force row level security;
create policy tenant_isolation on invitations
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

-- single-use tokens of one account (global, like users): password resets and email
-- verifications.
create table account_tokens (
    id uuid primary key,
    user_id uuid not null references users (id),
    purpose text not null check (purpose in ('password_reset', 'email_verification')),
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz
);
create index account_tokens_user_idx on account_tokens (user_id, purpose, created_at);

grant select, insert, update on invitations to palisade_app;
grant select, insert, update on account_tokens to palisade_app;
