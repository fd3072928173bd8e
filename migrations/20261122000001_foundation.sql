-- foundation: tenants, users, memberships and the audit log, under the isolation model that
-- every later table follows.
--
-- the isolation model, for every tenant-owned table:
--   * a `tenant_id uuid not null` column, first in the primary key (so the table can later be
--     distributed by tenant without a schema change);
--   * row-level security enabled and forced (forced: the owner is bound too);
--   * one policy, for using and with check, comparing tenant_id with the transaction-local
--     setting `app.tenant_id` that `tenant_tx` sets. with no setting the comparison is null and
--     the transaction sees and writes nothing.
-- the application connects as palisade_app, which owns nothing, cannot bypass rls and gets only
-- the grants listed here. palisade_owner owns every table and runs these migrations.

-- tenants are global rows: the tenant is the scope, not a row inside one.
create table tenants (
    id uuid primary key,
    name text not null check (length(name) between 1 and 200),
    slug text not null check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    status text not null default 'active' check (status in ('active', 'suspended')),
    settings jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint tenants_slug_key unique (slug)
);

-- users are global too: one person may belong to several tenants (see memberships).
create table users (
    id uuid primary key,
    email text not null,
    display_name text not null default '',
    -- argon2id phc string; null for a user who has not set a password yet.
    password_hash text,
    status text not null default 'active' check (status in ('active', 'blocked', 'deleted')),
    is_global_admin boolean not null default false,
    -- the seeded administrators: cannot be deleted, blocked or demoted.
    is_protected boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));

-- one role per user per tenant.
create table memberships (
    tenant_id uuid not null references tenants (id),
    user_id uuid not null references users (id),
    role text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, user_id)
);
create index memberships_user_idx on memberships (user_id);

alter table memberships enable row level security;
alter table memberships force row level security;
create policy tenant_isolation on memberships
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

-- the audit log: append-only and hash-chained per tenant. rows of platform-wide actions use the
-- nil uuid as their tenant. there is no foreign key to tenants: audit rows outlive what they
-- describe.
create table audit_log (
    tenant_id uuid not null,
    -- position in the tenant's chain, from 1, assigned by the insert trigger.
    seq bigint not null,
    id uuid not null default gen_random_uuid(),
    occurred_at timestamptz not null default now(),
    actor_type text not null check (actor_type in ('user', 'api_key', 'system')),
    actor_id uuid,
    action text not null check (length(action) between 1 and 100),
    target_type text not null,
    target_id text,
    request_id text,
    source_ip text,
    user_agent text,
    summary jsonb not null default '{}'::jsonb,
    -- hash of the previous row of the same tenant (32 zero bytes for the first row).
    prev_hash bytea not null,
    -- sha256(prev_hash || audit_log_canonical(row)).
    hash bytea not null,
    primary key (tenant_id, seq),
    constraint audit_log_id_key unique (id)
);
create index audit_log_occurred_idx on audit_log (tenant_id, occurred_at);

alter table audit_log enable row level security;
alter table audit_log force row level security;
create policy tenant_isolation on audit_log
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

-- the canonical text of a row that its hash covers: a jsonb array, whose text form postgres
-- writes the same way every time. the verifier (`palisade admin audit-verify`) reads it back
-- through this function and recomputes the chain.
create function audit_log_canonical(r audit_log) returns text
language sql stable as $$
    select jsonb_build_array(
        r.tenant_id::text, r.seq, r.id::text,
        to_char(r.occurred_at at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        r.actor_type, r.actor_id::text, r.action, r.target_type, r.target_id,
        r.request_id, r.source_ip, r.user_agent, r.summary
    )::text
$$;

-- chains each new row to the previous row of its tenant. the advisory lock serializes writers
-- of one tenant so that two concurrent transactions cannot both extend the same link.
create function audit_log_chain() returns trigger
language plpgsql as $$
declare
    last_seq bigint;
    last_hash bytea;
begin
    perform pg_advisory_xact_lock(hashtextextended('audit_log:' || new.tenant_id::text, 0));
    select seq, hash into last_seq, last_hash
      from audit_log where tenant_id = new.tenant_id
     order by seq desc limit 1;
    new.seq := coalesce(last_seq, 0) + 1;
    new.prev_hash := coalesce(last_hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
    new.occurred_at := date_trunc('microseconds', coalesce(new.occurred_at, now()));
    new.hash := sha256(new.prev_hash || convert_to(audit_log_canonical(new), 'UTF8'));
    return new;
end
$$;

create trigger audit_log_chain before insert on audit_log
    for each row execute function audit_log_chain();

-- append-only, whoever asks: even the owner must disable this trigger to change history, which
-- the chain then exposes.
create function audit_log_refuse_change() returns trigger
language plpgsql as $$
begin
    raise exception 'audit_log is append-only: % refused', tg_op
        using errcode = 'insufficient_privilege';
end
$$;

create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_refuse_change();

-- what the application role may do. nothing else: no delete on tenants or users (they are
-- suspended or soft-deleted), no update or delete on the audit log.
grant select, insert, update on tenants to palisade_app;
grant select, insert, update on users to palisade_app;
grant select, insert, update, delete on memberships to palisade_app;
grant select, insert on audit_log to palisade_app;
-- /readyz compares the applied migrations with the binary's.
grant select on _sqlx_migrations to palisade_app;
