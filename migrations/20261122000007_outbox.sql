-- events, notification channels and deliveries: the transactional outbox.
--
-- a domain write, the event it causes, one delivery per matching channel and the relay job
-- commit in one transaction (platform::outbox::emit). the relay sends each delivery at least
-- once; (event_id, channel_id) is unique, so nothing is ever queued twice for one channel.

create table events (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    type text not null check (type ~ '^[a-z][a-z0-9_.]{0,99}$'),
    severity text not null check (severity in ('info', 'low', 'medium', 'high', 'critical')),
    title text not null check (length(title) between 1 and 500),
    payload jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint events_id_key unique (id)
);
create index events_created_idx on events (tenant_id, created_at desc);

-- where events go. secrets (webhook signing secret, slack url, smtp password) are encrypted
-- with aes-256-gcm; the aad binds tenant and row id, so a ciphertext moved to another row or
-- tenant does not decrypt. `key_id` names the key for rotation.
create table channels (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    name text not null check (length(name) between 1 and 100),
    kind text not null check (kind in ('webhook', 'slack', 'email')),
    enabled boolean not null default true,
    -- empty: every event type.
    event_types text[] not null default '{}',
    min_severity text not null default 'info'
        check (min_severity in ('info', 'low', 'medium', 'high', 'critical')),
    -- non-secret settings: webhook url, smtp host/port/tls/username, recipients.
    settings jsonb not null default '{}'::jsonb,
    secret_ciphertext bytea,
    secret_nonce bytea,
    secret_key_id text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint channels_name_key unique (tenant_id, name)
);

create table deliveries (
    tenant_id uuid not null,
    id uuid not null,
    event_id uuid not null,
    channel_id uuid not null,
    status text not null default 'pending'
        check (status in ('pending', 'delivering', 'delivered', 'failed', 'dead')),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error text,
    delivered_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint deliveries_event_channel_key unique (event_id, channel_id),
    foreign key (tenant_id, event_id) references events (tenant_id, id),
    foreign key (tenant_id, channel_id) references channels (tenant_id, id)
);
create index deliveries_status_idx on deliveries (tenant_id, status, next_attempt_at);
create index deliveries_event_idx on deliveries (tenant_id, event_id);

-- orders severities for "at least this severe" filters.
create function severity_rank(severity text) returns integer
language sql immutable as $$
    select case severity
        when 'info' then 0 when 'low' then 1 when 'medium' then 2 when 'high' then 3
        when 'critical' then 4 end
$$;

alter table events enable row level security;
alter table events force row level security;
create policy tenant_isolation on events
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table channels enable row level security;
alter table channels force row level security;
create policy tenant_isolation on channels
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table deliveries enable row level security;
alter table deliveries force row level security;
create policy tenant_isolation on deliveries
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

-- events are facts: the application may add them, never change or remove them.
grant select, insert on events to palisade_app;
grant select, insert, update, delete on channels to palisade_app;
grant select, insert, update on deliveries to palisade_app;
