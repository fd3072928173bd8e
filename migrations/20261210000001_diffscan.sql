-- diffscan: scans of code diffs and their findings, the policies, exceptions, baselines and rule
-- packs a tenant scans with, idempotency keys of scan requests, github installations,
-- repositories and webhook deliveries, and the instance's signing key.
--
-- every tenant table follows the isolation model of the foundation migration: tenant_id first in
-- the primary key, row-level security enabled and forced, the tenant_isolation policy. the raw
-- diffs themselves are not here: they live in the object store (filesystem or s3) under
-- `diff_key`, until retention purges them; a purged diff leaves its digest, size and a deletion
-- marker (`diff_deleted_at`, `diff_deletion_reason`) on the scan row.

-- a policy in the engine's format (version 1: profile, profiles, inline suppressions, on_error,
-- limits), without exceptions, which are rows of their own. a tenant's default policy applies
-- to scans that name none; with no default, the built-in `default` profile, fail-closed.
create table diffscan_policies (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    name text not null check (length(name) between 1 and 100),
    description text not null default '' check (length(description) <= 2000),
    document jsonb not null,
    is_default boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint diffscan_policies_name_key unique (tenant_id, name)
);
-- at most one default policy per tenant.
create unique index diffscan_policies_default_key on diffscan_policies (tenant_id) where is_default;

-- a rule (or selector) accepted under a path glob until a day, for a reason. `policy_id` null:
-- under every policy of the tenant. expired exceptions stay (they are reported) until deleted.
create table diffscan_exceptions (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    policy_id uuid,
    rule text not null check (length(rule) between 1 and 200),
    path_glob text not null check (length(path_glob) between 1 and 1000),
    expires_on date not null,
    reason text not null check (length(reason) between 1 and 2000),
    created_by uuid references users (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, policy_id) references diffscan_policies (tenant_id, id) on delete cascade
);
create index diffscan_exceptions_policy_idx on diffscan_exceptions (tenant_id, policy_id);

-- baselines: named sets of accepted findings, by fingerprint (rule + path + hash of the matched
-- content; never the content, which may be a secret).
create table diffscan_baselines (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    name text not null check (length(name) between 1 and 100),
    description text not null default '' check (length(description) <= 2000),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint diffscan_baselines_name_key unique (tenant_id, name)
);

create table diffscan_baseline_entries (
    tenant_id uuid not null,
    baseline_id uuid not null,
    fingerprint text not null check (fingerprint ~ '^[0-9a-f]{64}$'),
    rule text not null check (length(rule) between 1 and 200),
    path text check (length(path) <= 4096),
    added_at timestamptz not null default now(),
    primary key (tenant_id, baseline_id, fingerprint),
    foreign key (tenant_id, baseline_id) references diffscan_baselines (tenant_id, id) on delete cascade
);

-- a tenant's own rules, in the built-in pack's yaml format, validated (and their examples run)
-- by the engine before they are stored. enabled packs run beside the built-in pack.
create table diffscan_rule_packs (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    name text not null check (length(name) between 1 and 100),
    version integer not null,
    description text not null default '',
    source text not null check (octet_length(source) <= 2097152),
    -- sha-256 of the source, as the engine computes it (names the exact rules a scan ran).
    digest text not null,
    rule_ids text[] not null,
    enabled boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint diffscan_rule_packs_name_key unique (tenant_id, name)
);

-- where github pull requests come from: an api base url, a token (sealed with the installation's
-- encryption key, like channel secrets; the aad binds tenant and row), the webhook secret that
-- signs its deliveries (sealed the same way), and the policy its scans use by default.
create table diffscan_github_installations (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    name text not null check (length(name) between 1 and 100),
    api_url text not null check (length(api_url) between 1 and 2048),
    check_name text not null check (length(check_name) between 1 and 100),
    policy_id uuid,
    enabled boolean not null default true,
    token_ciphertext bytea not null,
    token_nonce bytea not null,
    token_key_id text not null,
    webhook_secret_ciphertext bytea not null,
    webhook_secret_nonce bytea not null,
    webhook_secret_key_id text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    constraint diffscan_github_installations_name_key unique (tenant_id, name),
    foreign key (tenant_id, policy_id) references diffscan_policies (tenant_id, id)
        on delete set null (policy_id)
);

-- repositories of an installation whose pull requests are scanned (others are ignored).
create table diffscan_github_repositories (
    tenant_id uuid not null,
    id uuid not null,
    installation_id uuid not null,
    full_name text not null check (full_name ~ '^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$'),
    policy_id uuid,
    baseline_id uuid,
    enabled boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, installation_id) references diffscan_github_installations (tenant_id, id)
        on delete cascade,
    foreign key (tenant_id, policy_id) references diffscan_policies (tenant_id, id)
        on delete set null (policy_id),
    foreign key (tenant_id, baseline_id) references diffscan_baselines (tenant_id, id)
        on delete set null (baseline_id)
);
create unique index diffscan_github_repositories_name_key
    on diffscan_github_repositories (tenant_id, installation_id, lower(full_name));

-- one scan of one diff. `status`: queued, running, completed (a decision was reached), failed
-- (the service could not scan; the decision then follows the policy's on_error).
create table diffscan_scans (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    status text not null default 'queued'
        check (status in ('queued', 'running', 'completed', 'failed')),
    source text not null check (source in ('api', 'github')),
    name text not null check (length(name) between 1 and 300),
    policy_id uuid,
    baseline_id uuid,
    -- who asked: as in the audit log (`github` for a webhook delivery).
    actor_type text not null check (actor_type in ('user', 'api_key', 'system', 'github')),
    actor_id uuid,
    -- the scanned bytes: digest and size (null until a pull request's diff is fetched).
    diff_sha256 text check (diff_sha256 ~ '^[0-9a-f]{64}$'),
    diff_bytes bigint,
    diff_key text,
    diff_expires_at timestamptz not null,
    -- the deletion marker: when and why the raw diff left the object store.
    diff_deleted_at timestamptz,
    diff_deletion_reason text check (diff_deletion_reason in ('retention', 'request')),
    decision text check (decision in ('pass', 'fail', 'error')),
    degraded boolean not null default false,
    error text,
    findings_count integer not null default 0,
    blocking_count integer not null default 0,
    -- findings by status, the diff's statistics, the engine and rules that ran, scan errors.
    summary jsonb not null default '{}'::jsonb,
    -- the signed result: a dsse envelope of an in-toto statement (json bytes).
    artifact bytea,
    artifact_key_id text,
    github_installation_id uuid,
    github_repository text,
    github_pull_request integer,
    github_head_sha text,
    github_check_run_id bigint,
    github_delivery_id uuid,
    created_at timestamptz not null default now(),
    started_at timestamptz,
    completed_at timestamptz,
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, policy_id) references diffscan_policies (tenant_id, id)
        on delete set null (policy_id),
    foreign key (tenant_id, baseline_id) references diffscan_baselines (tenant_id, id)
        on delete set null (baseline_id),
    foreign key (tenant_id, github_installation_id)
        references diffscan_github_installations (tenant_id, id)
        on delete set null (github_installation_id)
);
-- what retention has left to purge.
create index diffscan_scans_retention_idx on diffscan_scans (tenant_id, diff_expires_at)
    where diff_deleted_at is null and diff_key is not null;

-- the findings of a completed scan, in the report's order.
create table diffscan_findings (
    tenant_id uuid not null,
    scan_id uuid not null,
    ordinal integer not null,
    rule_id text not null,
    family text not null,
    severity text not null,
    confidence text not null,
    title text not null,
    message text not null,
    path text,
    start_line integer,
    end_line integer,
    diff_line bigint,
    snippet text not null,
    fingerprint text not null,
    status text not null check (status in ('open', 'suppressed', 'excepted', 'baselined')),
    blocking boolean not null,
    suppression jsonb,
    primary key (tenant_id, scan_id, ordinal),
    foreign key (tenant_id, scan_id) references diffscan_scans (tenant_id, id) on delete cascade
);

-- `Idempotency-Key`s of scan requests, per tenant and principal (the api key, else the user):
-- the same key with the same request (sha-256 of its canonical form) answers the original
-- scan; with another request it is a conflict. kept for a day.
create table diffscan_idempotency_keys (
    tenant_id uuid not null,
    principal_id uuid not null,
    key text not null check (length(key) between 1 and 255),
    request_sha256 bytea not null check (length(request_sha256) = 32),
    scan_id uuid not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    primary key (tenant_id, principal_id, key),
    foreign key (tenant_id, scan_id) references diffscan_scans (tenant_id, id) on delete cascade
);

-- github webhook deliveries, verified and kept raw (headers and body) for replay. a delivery id
-- is accepted once per installation: github redelivers with the same id.
create table diffscan_github_deliveries (
    tenant_id uuid not null,
    id uuid not null,
    installation_id uuid not null,
    delivery_guid text not null check (length(delivery_guid) between 1 and 100),
    event text not null check (length(event) between 1 and 100),
    action text,
    headers jsonb not null,
    -- null once retention has purged it.
    body bytea,
    status text not null default 'queued'
        check (status in ('queued', 'processed', 'ignored', 'failed')),
    detail text,
    scan_id uuid,
    received_at timestamptz not null default now(),
    processed_at timestamptz,
    primary key (tenant_id, id),
    foreign key (tenant_id, installation_id) references diffscan_github_installations (tenant_id, id)
        on delete cascade
);
create unique index diffscan_github_deliveries_guid_key
    on diffscan_github_deliveries (tenant_id, installation_id, delivery_guid);
create index diffscan_github_deliveries_received_idx
    on diffscan_github_deliveries (tenant_id, received_at);

-- the instance's ed25519 signing key when the operator configured none: generated once, its
-- seed sealed with the installation's encryption key, shared by every process. not tenant data.
create table diffscan_signing_keys (
    name text primary key,
    key_id text not null,
    public_key bytea not null check (length(public_key) = 32),
    seed_ciphertext bytea not null,
    seed_nonce bytea not null,
    seed_key_id text not null,
    created_at timestamptz not null default now()
);

alter table diffscan_policies enable row level security;
alter table diffscan_policies force row level security;
create policy tenant_isolation on diffscan_policies
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table diffscan_exceptions enable row level security;
alter table diffscan_exceptions force row level security;
create policy tenant_isolation on diffscan_exceptions
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table diffscan_baselines enable row level security;
alter table diffscan_baselines force row level security;
create policy tenant_isolation on diffscan_baselines
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table diffscan_baseline_entries enable row level security;
alter table diffscan_baseline_entries force row level security;
create policy tenant_isolation on diffscan_baseline_entries
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table diffscan_rule_packs enable row level security;
alter table diffscan_rule_packs force row level security;
create policy tenant_isolation on diffscan_rule_packs
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table diffscan_github_installations enable row level security;
alter table diffscan_github_installations force row level security;
create policy tenant_isolation on diffscan_github_installations
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
-- the webhook ingress reads one installation by the id in its url before it knows the tenant,
-- when the transaction set `app.diffscan_installation_id`; select only, like api_keys_lookup.
create policy diffscan_github_installations_webhook on diffscan_github_installations for select
    using (id = (select nullif(current_setting('app.diffscan_installation_id', true), '')::uuid));

alter table diffscan_github_repositories enable row level security;
alter table diffscan_github_repositories force row level security;
create policy tenant_isolation on diffscan_github_repositories
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table diffscan_scans enable row level security;
alter table diffscan_scans force row level security;
create policy tenant_isolation on diffscan_scans
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table diffscan_findings enable row level security;
alter table diffscan_findings force row level security;
create policy tenant_isolation on diffscan_findings
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table diffscan_idempotency_keys enable row level security;
alter table diffscan_idempotency_keys force row level security;
create policy tenant_isolation on diffscan_idempotency_keys
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table diffscan_github_deliveries enable row level security;
alter table diffscan_github_deliveries force row level security;
create policy tenant_isolation on diffscan_github_deliveries
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

-- what the application role may do. scans are never deleted by the application (retention
-- purges their raw diff, not the record); findings are replaced when a scan job runs again.
grant select, insert, update, delete on diffscan_policies to palisade_app;
grant select, insert, update, delete on diffscan_exceptions to palisade_app;
grant select, insert, update, delete on diffscan_baselines to palisade_app;
grant select, insert, update, delete on diffscan_baseline_entries to palisade_app;
grant select, insert, update, delete on diffscan_rule_packs to palisade_app;
grant select, insert, update, delete on diffscan_github_installations to palisade_app;
grant select, insert, update, delete on diffscan_github_repositories to palisade_app;
grant select, insert, update on diffscan_scans to palisade_app;
grant select, insert, delete on diffscan_findings to palisade_app;
grant select, insert, update, delete on diffscan_idempotency_keys to palisade_app;
grant select, insert, update on diffscan_github_deliveries to palisade_app;
grant select, insert on diffscan_signing_keys to palisade_app;
