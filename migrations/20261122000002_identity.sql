-- identity: per-tenant membership status, the role matrix, refresh-token families, revoked
-- access tokens, api keys and server secrets.
--
-- two narrow select-only policies let authentication read a row before it knows the tenant:
--   * memberships_self: a user's own memberships, once their password has been verified and the
--     transaction set `app.user_id` (used to list the tenants a user may log in to);
--   * api_keys_lookup: one api key by its public prefix, when the transaction set
--     `app.api_key_prefix` (the secret part is then checked against the stored hmac).
-- both are permissive additions to the tenant policy; neither allows a write.

-- a membership can be soft-deleted or blocked in one tenant without touching the user's other
-- tenants; only a global administrator changes users.status, which applies everywhere.
alter table memberships
    add column status text not null default 'active'
        check (status in ('active', 'blocked', 'deleted'));

create policy memberships_self on memberships for select
    using (user_id = (select nullif(current_setting('app.user_id', true), '')::uuid));

-- access tokens issued before this instant are refused (admin revoke-sessions, password reset).
alter table users add column sessions_valid_after timestamptz not null default '1970-01-01 00:00:00+00';

-- the rbac matrix of each tenant: which permissions each role grants. seeded with the defaults
-- when the tenant is created; edited with put /v1/roles; reset with post /v1/roles/reset.
create table role_permissions (
    tenant_id uuid not null references tenants (id),
    role text not null,
    permission text not null,
    primary key (tenant_id, role, permission)
);

alter table role_permissions enable row level security;
alter table role_permissions force row level security;
create policy tenant_isolation on role_permissions
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

-- one row per refresh token issued. tokens of one login share a family: rotation spends the
-- presented token and issues the next; presenting a spent token revokes the family.
create table refresh_tokens (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    family_id uuid not null,
    user_id uuid not null references users (id),
    -- sha-256 of the token; the token itself is never stored.
    token_hash bytea not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    spent_at timestamptz,
    revoked_at timestamptz,
    primary key (tenant_id, id),
    constraint refresh_tokens_hash_key unique (token_hash)
);
create index refresh_tokens_family_idx on refresh_tokens (tenant_id, family_id);
create index refresh_tokens_user_idx on refresh_tokens (tenant_id, user_id);

alter table refresh_tokens enable row level security;
alter table refresh_tokens force row level security;
create policy tenant_isolation on refresh_tokens
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

-- access tokens revoked before their expiry (logout). global: a jti is unique across tenants
-- and carries no tenant data. rows past expires_at can be deleted.
create table revoked_access_tokens (
    jti uuid primary key,
    expires_at timestamptz not null
);

-- api keys: shown once as pal_<prefix>_<secret>; stored as the prefix and
-- hmac-sha256(server pepper, key).
create table api_keys (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    name text not null check (length(name) between 1 and 100),
    prefix text not null,
    key_digest bytea not null,
    scopes text[] not null,
    created_by uuid references users (id),
    created_at timestamptz not null default now(),
    expires_at timestamptz,
    last_used_at timestamptz,
    revoked_at timestamptz,
    primary key (tenant_id, id),
    constraint api_keys_prefix_key unique (prefix)
);

alter table api_keys enable row level security;
alter table api_keys force row level security;
create policy tenant_isolation on api_keys
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
create policy api_keys_lookup on api_keys for select
    using (prefix = (select nullif(current_setting('app.api_key_prefix', true), '')));

-- server-wide secrets generated on first start when the operator configured none (jwt signing
-- key, api key pepper), so that every replica of one installation agrees on them.
create table server_secrets (
    name text primary key,
    value bytea not null check (length(value) >= 32),
    created_at timestamptz not null default now()
);

grant select, insert, update, delete on role_permissions to palisade_app;
grant select, insert, update on refresh_tokens to palisade_app;
grant select, insert, delete on revoked_access_tokens to palisade_app;
grant select, insert, update on api_keys to palisade_app;
grant select, insert on server_secrets to palisade_app;
