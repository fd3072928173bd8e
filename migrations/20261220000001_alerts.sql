-- alerts: the soc's queue. every alert is an ocsf 1.8 detection finding (class 2004) with the
-- raw payload it came from beside it; repeats fold into one open alert by fingerprint; every
-- state change is kept in the alert's history.
--
-- sized for millions of rows per tenant: ids are uuidv7 and `created_at` is the instant in the
-- id, so "newest first" and a created-at range are both ranges of the primary key; each list
-- filter has a tenant-first index ending in the id, so a filtered page is an index range read
-- backwards; counts and response times come from the hourly roll-up `alert_stats`, kept in the
-- transaction of every change, never from scanning alerts.

create table alerts (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    -- sha-256 of the source, the analytic and the key observables (detect::Fingerprint).
    fingerprint bytea not null check (length(fingerprint) = 32),
    -- the adapter it arrived through, or `sigma` for alerts raised by a detection rule.
    source text not null
        check (source in ('palisade', 'wazuh', 'elastic', 'ocsf', 'sentinel', 'splunk', 'sigma')),
    -- the configured ingest source that pushed it (none: an api key pushed it).
    ingest_source_id uuid,
    title text not null check (length(title) between 1 and 1000),
    description text,
    -- ocsf severity_id: 0 unknown, 1 informational, 2 low, 3 medium, 4 high, 5 critical, 6 fatal.
    severity smallint not null check (severity between 0 and 6),
    status text not null default 'new'
        check (status in ('new', 'acknowledged', 'investigating', 'closed')),
    disposition text
        check (disposition in ('true_positive', 'false_positive', 'benign', 'duplicate', 'test')),
    assignee_id uuid references users (id),
    -- the analytic (ocsf finding_info.analytic): the source's rule.
    rule_uid text,
    rule_name text,
    -- the palisade detection rule that raised it, and the alert it matched on (no foreign keys:
    -- a rule can be deleted, its alerts stay).
    detection_rule_id uuid,
    parent_alert_id uuid,
    occurrences bigint not null default 1 check (occurrences >= 1),
    first_seen_at timestamptz not null,
    last_seen_at timestamptz not null,
    -- when the activity happened, as the source says (ocsf time).
    event_time timestamptz not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    acknowledged_at timestamptz,
    acknowledged_by uuid,
    closed_at timestamptz,
    closed_by uuid,
    -- set once by the sla check when a target passed unmet.
    ack_breached_at timestamptz,
    close_breached_at timestamptz,
    -- observable values, for free-text search.
    keywords text not null default '',
    finding jsonb not null,
    -- the payload as received, verbatim (json keeps it as sent; jsonb would reorder it).
    raw json not null,
    search tsvector generated always as (
        to_tsvector('simple'::regconfig,
            title || ' ' || coalesce(rule_name, '') || ' ' || keywords || ' '
            || left(coalesce(description, ''), 16384))
    ) stored,
    primary key (tenant_id, id),
    constraint alerts_closed_at_check check ((status = 'closed') = (closed_at is not null)),
    constraint alerts_closed_disposition_check check ((status = 'closed') = (disposition is not null))
);

-- dedup: at most one open alert per fingerprint; a closed one no longer absorbs repeats.
create unique index alerts_open_fingerprint_key on alerts (tenant_id, fingerprint)
    where status <> 'closed';
-- the list's filters, each ending in the id (newest first, keyset pages).
create index alerts_status_idx on alerts (tenant_id, status, id);
create index alerts_severity_idx on alerts (tenant_id, severity, id);
create index alerts_source_idx on alerts (tenant_id, source, id);
create index alerts_assignee_idx on alerts (tenant_id, assignee_id, id)
    where assignee_id is not null;
create index alerts_rule_idx on alerts (tenant_id, rule_uid, id) where rule_uid is not null;
create index alerts_detection_rule_idx on alerts (tenant_id, detection_rule_id, id)
    where detection_rule_id is not null;
create index alerts_search_idx on alerts using gin (search);
-- the sla check's candidates: open alerts whose close target has not been missed yet.
create index alerts_sla_idx on alerts (tenant_id, severity, id)
    where status <> 'closed' and close_breached_at is null;

-- every state change of an alert: who, when, from what to what.
create table alert_history (
    tenant_id uuid not null,
    alert_id uuid not null,
    id uuid not null,
    at timestamptz not null,
    actor_type text not null check (actor_type in ('user', 'api_key', 'system')),
    actor_id uuid,
    action text not null
        check (action in ('acknowledge', 'investigate', 'close', 'reopen', 'assign')),
    from_status text not null,
    to_status text not null,
    from_assignee uuid,
    to_assignee uuid,
    disposition text,
    comment text check (length(comment) <= 4000),
    -- the bulk operation or bulk job that made the change, if any.
    bulk_id uuid,
    primary key (tenant_id, alert_id, id),
    foreign key (tenant_id, alert_id) references alerts (tenant_id, id)
);

-- the observables index: indicator -> alerts, for pivots, list filters and intel matching.
create table alert_observables (
    tenant_id uuid not null,
    value text not null check (length(value) between 1 and 1024),
    kind text not null check (kind in ('ip', 'hostname', 'domain', 'url', 'file_hash',
                                       'file_name', 'email', 'user', 'process')),
    alert_id uuid not null,
    primary key (tenant_id, value, kind, alert_id)
);

-- idempotency: a source's own alert id, seen once, always names the same alert.
create table alert_source_ids (
    tenant_id uuid not null,
    source text not null,
    source_id text not null check (length(source_id) between 1 and 512),
    alert_id uuid not null,
    primary key (tenant_id, source, source_id)
);

-- hourly roll-up of alert counts per severity and status, and of response times, by the hour
-- the alerts were created in. every change applies its delta in its own transaction.
create table alert_stats (
    tenant_id uuid not null,
    bucket timestamptz not null,
    severity smallint not null,
    new_count bigint not null default 0,
    acknowledged_count bigint not null default 0,
    investigating_count bigint not null default 0,
    closed_count bigint not null default 0,
    -- alerts acknowledged at least once, and the sum of their times to acknowledge.
    acknowledged_total bigint not null default 0,
    ack_seconds double precision not null default 0,
    -- the sum of the closed alerts' times to close.
    close_seconds double precision not null default 0,
    ack_breaches bigint not null default 0,
    close_breaches bigint not null default 0,
    primary key (tenant_id, bucket, severity)
);

-- where alerts come from: per-source credentials (a token, or an hmac signing secret sealed
-- with aes-256-gcm bound to tenant and row). tokens are stored as their sha-256 only.
create table alert_sources (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    name text not null check (length(name) between 1 and 100),
    kind text not null
        check (kind in ('palisade', 'wazuh', 'elastic', 'ocsf', 'sentinel', 'splunk')),
    auth text not null check (auth in ('token', 'standard_webhooks', 'signature_256')),
    token_digest bytea,
    secret_ciphertext bytea,
    secret_nonce bytea,
    secret_key_id text,
    enabled boolean not null default true,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    last_used_at timestamptz,
    primary key (tenant_id, id),
    constraint alert_sources_id_key unique (id),
    constraint alert_sources_name_key unique (tenant_id, name),
    constraint alert_sources_credential_check check (
        (auth = 'token') = (token_digest is not null)
        and (auth = 'token') = (secret_ciphertext is null))
);

-- sigma detection rules, evaluated on every ingested alert and event.
create table detection_rules (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    title text not null check (length(title) between 1 and 1000),
    -- the rule's own id (sigmahq uuid), unique in a tenant when present.
    sigma_id text check (length(sigma_id) <= 200),
    yaml text not null check (length(yaml) between 1 and 65536),
    enabled boolean not null default true,
    level smallint not null check (level between 0 and 6),
    tags text[] not null default '{}',
    -- known-good activity: a list of sigma selections that silence a match.
    exceptions jsonb not null default '[]'::jsonb,
    created_by uuid,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    primary key (tenant_id, id),
    constraint detection_rules_sigma_id_key unique (tenant_id, sigma_id)
);

-- a tenant's alert settings (sla targets, dedup keys) and the version of its rule set, bumped
-- by every rule change so that each server reloads its compiled rules.
create table alert_settings (
    tenant_id uuid not null references tenants (id),
    settings jsonb not null default '{}'::jsonb,
    rules_version bigint not null default 0,
    updated_at timestamptz not null default now(),
    primary key (tenant_id)
);

-- correlation: alerts sharing an indicator within a window form a group; a group reaching its
-- rule's threshold raises `incident.candidate` once.
create table correlation_rules (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    name text not null check (length(name) between 1 and 100),
    enabled boolean not null default true,
    link_by text[] not null check (cardinality(link_by) between 1 and 16),
    window_secs integer not null check (window_secs between 60 and 604800),
    threshold integer not null check (threshold between 2 and 10000),
    min_severity smallint not null default 0 check (min_severity between 0 and 6),
    created_at timestamptz not null,
    updated_at timestamptz not null,
    primary key (tenant_id, id),
    constraint correlation_rules_name_key unique (tenant_id, name)
);

-- the engine's open groups of one rule (detect::correlation::CorrelationState as json).
create table correlation_states (
    tenant_id uuid not null,
    rule_id uuid not null,
    state jsonb not null,
    updated_at timestamptz not null,
    primary key (tenant_id, rule_id),
    foreign key (tenant_id, rule_id) references correlation_rules (tenant_id, id) on delete cascade
);

create table correlation_groups (
    tenant_id uuid not null,
    id uuid not null,
    rule_id uuid not null,
    -- the group's number in the engine's state.
    engine_id bigint not null,
    first_seen_at timestamptz not null,
    last_seen_at timestamptz not null,
    member_count integer not null,
    -- the indicators the members share ([{kind, value}]).
    keys jsonb not null,
    candidate_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    primary key (tenant_id, id),
    constraint correlation_groups_engine_key unique (tenant_id, rule_id, engine_id),
    foreign key (tenant_id, rule_id) references correlation_rules (tenant_id, id) on delete cascade
);
create index correlation_groups_list_idx on correlation_groups (tenant_id, updated_at desc, id);

create table correlation_members (
    tenant_id uuid not null,
    group_id uuid not null,
    alert_id uuid not null,
    added_at timestamptz not null,
    primary key (tenant_id, group_id, alert_id),
    foreign key (tenant_id, group_id) references correlation_groups (tenant_id, id)
        on delete cascade
);
create index correlation_members_alert_idx on correlation_members (tenant_id, alert_id);

-- bulk changes by filter, run as a job in chunks; progress is visible and it can be cancelled.
create table alert_bulk_jobs (
    tenant_id uuid not null references tenants (id),
    id uuid not null,
    action text not null check (action in ('acknowledge', 'close', 'assign')),
    params jsonb not null,
    filter jsonb not null,
    status text not null default 'queued'
        check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    total bigint not null default 0,
    processed bigint not null default 0,
    changed bigint not null default 0,
    -- the last alert id handled: the job resumes after it.
    position uuid,
    error text,
    actor_type text not null check (actor_type in ('user', 'api_key', 'system')),
    actor_id uuid,
    created_at timestamptz not null,
    started_at timestamptz,
    finished_at timestamptz,
    cancel_requested_at timestamptz,
    primary key (tenant_id, id)
);
create index alert_bulk_jobs_created_idx on alert_bulk_jobs (tenant_id, created_at desc, id);

alter table alerts enable row level security;
alter table alerts force row level security;
create policy tenant_isolation on alerts
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table alert_history enable row level security;
alter table alert_history force row level security;
create policy tenant_isolation on alert_history
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table alert_observables enable row level security;
alter table alert_observables force row level security;
create policy tenant_isolation on alert_observables
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table alert_source_ids enable row level security;
alter table alert_source_ids force row level security;
create policy tenant_isolation on alert_source_ids
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table alert_stats enable row level security;
alter table alert_stats force row level security;
create policy tenant_isolation on alert_stats
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table alert_sources enable row level security;
alter table alert_sources force row level security;
create policy tenant_isolation on alert_sources
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
-- a signed push names its source before its tenant is known (as an api key names its prefix):
-- reading that one row by id is allowed, and the credential is checked before anything else.
create policy alert_sources_lookup on alert_sources for select
    using (id = (select nullif(current_setting('app.alert_source_id', true), '')::uuid));

alter table detection_rules enable row level security;
alter table detection_rules force row level security;
create policy tenant_isolation on detection_rules
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table alert_settings enable row level security;
alter table alert_settings force row level security;
create policy tenant_isolation on alert_settings
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table correlation_rules enable row level security;
alter table correlation_rules force row level security;
create policy tenant_isolation on correlation_rules
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table correlation_states enable row level security;
alter table correlation_states force row level security;
create policy tenant_isolation on correlation_states
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table correlation_groups enable row level security;
alter table correlation_groups force row level security;
create policy tenant_isolation on correlation_groups
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table correlation_members enable row level security;
alter table correlation_members force row level security;
create policy tenant_isolation on correlation_members
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

alter table alert_bulk_jobs enable row level security;
alter table alert_bulk_jobs force row level security;
create policy tenant_isolation on alert_bulk_jobs
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

-- alerts are never deleted by the application; their history and observables are facts.
grant select, insert, update on alerts to palisade_app;
grant select, insert on alert_history to palisade_app;
grant select, insert on alert_observables to palisade_app;
grant select, insert, update on alert_source_ids to palisade_app;
grant select, insert, update on alert_stats to palisade_app;
grant select, insert, update, delete on alert_sources to palisade_app;
grant select, insert, update, delete on detection_rules to palisade_app;
grant select, insert, update on alert_settings to palisade_app;
grant select, insert, update, delete on correlation_rules to palisade_app;
grant select, insert, update, delete on correlation_states to palisade_app;
grant select, insert, update, delete on correlation_groups to palisade_app;
grant select, insert, update, delete on correlation_members to palisade_app;
grant select, insert, update on alert_bulk_jobs to palisade_app;
