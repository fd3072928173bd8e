-- surface: the assets a tenant monitors, the proof that it may scan them, the scans the worker
-- runs, the snapshots they leave, each asset's baseline, and the change events between them.
--
-- every table follows the isolation model of the foundation migration: tenant_id first in the
-- primary key, row-level security enabled and forced, the tenant_isolation policy, and only
-- the grants the application needs. rows of an asset go with it when it is deleted (the cascade
-- runs as the owner, so the application has no delete on scans, snapshots or changes); the
-- events that announced its changes stay, they are facts of the tenant.

-- a domain, ip address or cidr block (at most 65,536 addresses). `value` is normalized by the
-- service (lowercase idna domains, canonical addresses and blocks), so one text is one asset.
create table assets (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    kind text not null check (kind in ('domain', 'ip', 'cidr')),
    value text not null check (length(value) between 1 and 253),
    -- the port list as written (items trimmed, profile names such as top-1000 kept).
    ports text not null check (length(ports) between 1 and 2000),
    tags text[] not null default '{}' check (cardinality(tags) <= 20),
    -- an interval (`6h`) or five cron fields in utc; null: scanned only when asked.
    schedule text check (length(schedule) between 1 and 200),
    status text not null default 'pending'
        check (status in ('pending', 'verifying', 'authorized', 'failed', 'revoked')),
    -- why the last check failed or the asset was revoked, in words for the user.
    status_reason text check (length(status_reason) <= 1000),
    -- the challenge of the last authorize: 43 characters of base64url (256 random bits),
    -- unique across tenants, so a token proves exactly one asset of one tenant.
    challenge_token text,
    challenge_issued_at timestamptz,
    authorized_method text
        check (authorized_method in ('dns_txt', 'http_file', 'reverse_dns', 'attestation')),
    authorized_at timestamptz,
    -- the last time the proof was checked again and held.
    authorization_checked_at timestamptz,
    -- an attestation's administrator and reason (also in the audit log).
    attested_by uuid,
    attestation_reason text check (length(attestation_reason) <= 1000),
    -- the accepted snapshot changes are reported against; set by the first completed scan.
    baseline_snapshot_id uuid,
    -- the certificates already announced as expiring, per window (the engine's
    -- ExpiryAnnouncements): [{"sha256_fingerprint", "window_days"}].
    expiry_announcements jsonb not null default '[]'::jsonb,
    next_scan_at timestamptz,
    last_scan_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint assets_value_key unique (tenant_id, value),
    constraint assets_challenge_token_key unique (challenge_token)
);
-- lists are newest first by id (uuidv7), which the primary key serves; the tag filter uses this.
create index assets_tags_idx on assets using gin (tags);

-- one scan of one asset. at most one queued or running scan per asset: the partial unique index
-- is the lock (a second request fails on it and answers 409), whatever process asks; the job
-- queue runs an asset's scans one at a time as well (queue `surface.scan:<asset id>`).
create table scans (
    tenant_id uuid not null,
    id uuid not null,
    asset_id uuid not null,
    trigger text not null check (trigger in ('manual', 'schedule')),
    status text not null default 'queued'
        check (status in ('queued', 'running', 'completed', 'failed', 'cancelled')),
    ports text not null check (length(ports) between 1 and 2000),
    requested_by uuid,
    -- port verdicts reached out of all the scan will reach, and hosts finished.
    progress_done bigint not null default 0 check (progress_done >= 0),
    progress_total bigint not null default 0 check (progress_total >= 0),
    hosts_done integer not null default 0 check (hosts_done >= 0),
    hosts_up integer,
    open_ports integer,
    changes integer,
    snapshot_id uuid,
    error text check (length(error) <= 1000),
    cancel_requested_at timestamptz,
    queued_at timestamptz not null default now(),
    started_at timestamptz,
    finished_at timestamptz,
    primary key (tenant_id, id),
    foreign key (tenant_id, asset_id) references assets (tenant_id, id) on delete cascade
);
create unique index scans_one_active_key on scans (tenant_id, asset_id)
    where status in ('queued', 'running');
create index scans_asset_idx on scans (tenant_id, asset_id, id desc);

-- the normalized result of a completed scan (hosts → ports → service hint → certificate), as
-- the engine's canonical json, and the sha-256 of that text: an equal hash means an unchanged
-- surface.
create table snapshots (
    tenant_id uuid not null,
    id uuid not null,
    asset_id uuid not null,
    scan_id uuid not null,
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    hosts integer not null check (hosts >= 0),
    open_ports integer not null check (open_ports >= 0),
    document jsonb not null,
    created_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, asset_id) references assets (tenant_id, id) on delete cascade,
    foreign key (tenant_id, scan_id) references scans (tenant_id, id) on delete cascade
);
create index snapshots_asset_idx on snapshots (tenant_id, asset_id, id desc);

-- one change between a snapshot and its asset's baseline (the engine's ChangeEvent), written
-- in the transaction that emits its event (and the event's deliveries) through the outbox.
create table changes (
    tenant_id uuid not null,
    id uuid not null,
    asset_id uuid not null,
    scan_id uuid not null,
    snapshot_id uuid not null,
    kind text not null check (kind in ('HOST_NEW', 'HOST_GONE', 'PORT_OPENED', 'PORT_CLOSED',
        'SERVICE_CHANGED', 'CERT_ROTATED', 'CERT_EXPIRING', 'CERT_EXPIRED', 'CERT_INVALID')),
    severity text not null check (severity in ('info', 'low', 'medium', 'high', 'critical')),
    address text not null,
    server_name text,
    port integer check (port between 1 and 65535),
    before jsonb,
    after jsonb,
    event_id uuid not null,
    acked_at timestamptz,
    acked_by uuid,
    created_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, asset_id) references assets (tenant_id, id) on delete cascade,
    foreign key (tenant_id, snapshot_id) references snapshots (tenant_id, id) on delete cascade
);
-- the tenant's list is served by the primary key (ids are uuidv7, newest first).
create index changes_asset_idx on changes (tenant_id, asset_id, id desc);
create index changes_unacked_idx on changes (tenant_id, id desc) where acked_at is null;

alter table assets enable row level security;
alter table assets force row level security;
create policy tenant_isolation on assets
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table scans enable row level security;
alter table scans force row level security;
create policy tenant_isolation on scans
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table snapshots enable row level security;
alter table snapshots force row level security;
create policy tenant_isolation on snapshots
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table changes enable row level security;
alter table changes force row level security;
create policy tenant_isolation on changes
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

-- assets are managed by users; scans change state as the worker runs them; snapshots are
-- written once; changes are written once and only their acknowledgement changes later.
grant select, insert, update, delete on assets to palisade_app;
grant select, insert, update on scans to palisade_app;
grant select, insert on snapshots to palisade_app;
grant select, insert on changes to palisade_app;
grant update (acked_at, acked_by) on changes to palisade_app;
