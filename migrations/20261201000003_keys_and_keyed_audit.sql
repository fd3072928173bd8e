-- a copy of the database opens nothing, and whoever can write the audit table cannot rewrite
-- its history unnoticed.

-- server secrets are stored wrapped (aes-256-gcm) with the master key, which lives outside the
-- database (a key file in data_dir, or configuration). `kek_id` names the master key that
-- wrapped `value`; null marks a row written in the clear by an older version, wrapped by the
-- application the first time it reads it (hence the update grant).
alter table server_secrets
    add column kek_id text,
    add column nonce bytea;
grant update on server_secrets to palisade_app;

-- the audit chain becomes keyed. each new row's hash is hmac-sha256(audit key, prev_hash ||
-- audit_log_canonical(row)), computed by the application with a key the database only holds
-- wrapped; rows written before this migration keep their plain sha-256 links (`link =
-- 'sha256'`) and are verified as such, and only before the first keyed row of a chain.
alter table audit_log add column link text not null default 'sha256'
    check (link in ('sha256', 'hmac'));
alter table audit_log alter column link set default 'hmac';
-- null only between `audit_append` and `audit_seal`, inside one transaction.
alter table audit_log alter column hash drop not null;

-- the database, not the writer, assigns the position, the previous hash and the time: a writer
-- cannot backdate a row or pick its place in the chain.
create or replace function audit_log_chain() returns trigger
language plpgsql as $$
declare
    last_seq bigint;
    last_hash bytea;
begin
    perform pg_advisory_xact_lock(hashtextextended('audit_log:' || new.tenant_id::text, 0));
    select seq, hash into last_seq, last_hash
      from audit_log where tenant_id = new.tenant_id
     order by seq desc limit 1;
    if last_seq is not null and last_hash is null then
        raise exception 'audit_log: row % of tenant % is not sealed', last_seq, new.tenant_id;
    end if;
    new.seq := coalesce(last_seq, 0) + 1;
    new.prev_hash := coalesce(last_hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
    new.occurred_at := date_trunc('microseconds', now());
    new.link := 'hmac';
    new.hash := null;
    return new;
end
$$;

-- still append-only, with one exception: sealing a row, that is giving its hash to a row that
-- has none, changing nothing else.
create or replace function audit_log_refuse_change() returns trigger
language plpgsql as $$
begin
    -- (nested: a statement-level trigger, truncate, has no `old` to read.)
    if tg_op = 'UPDATE' then
        if old.hash is null and new.hash is not null
           and (old.tenant_id, old.seq, old.id, old.occurred_at, old.actor_type, old.actor_id,
                old.action, old.target_type, old.target_id, old.request_id, old.source_ip,
                old.user_agent, old.summary, old.prev_hash, old.link)
               is not distinct from
               (new.tenant_id, new.seq, new.id, new.occurred_at, new.actor_type, new.actor_id,
                new.action, new.target_type, new.target_id, new.request_id, new.source_ip,
                new.user_agent, new.summary, new.prev_hash, new.link) then
            return new;
        end if;
    end if;
    raise exception 'audit_log is append-only: % refused', tg_op
        using errcode = 'insufficient_privilege';
end
$$;

-- the one way the application appends: to the chain of the transaction's tenant, with the
-- database's position and time. it returns what the hash covers; `audit_seal` stores the hash.
create function audit_append(
    p_actor_type text, p_actor_id uuid, p_action text, p_target_type text, p_target_id text,
    p_request_id text, p_source_ip text, p_user_agent text, p_summary jsonb)
returns table (seq bigint, id uuid, prev_hash bytea, canonical text)
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
    appended audit_log;
begin
    if tenant is null then
        raise exception 'audit_append: app.tenant_id is not set';
    end if;
    insert into audit_log (tenant_id, seq, prev_hash, actor_type, actor_id, action, target_type,
                           target_id, request_id, source_ip, user_agent, summary)
    values (tenant, 0, '', p_actor_type, p_actor_id, p_action, p_target_type, p_target_id,
            p_request_id, p_source_ip, p_user_agent, p_summary)
    returning * into appended;
    return query select appended.seq, appended.id, appended.prev_hash,
                        audit_log_canonical(appended);
end
$$;

create function audit_seal(p_seq bigint, p_hash bytea) returns void
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    update audit_log set hash = p_hash
     where tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
       and seq = p_seq and hash is null;
    if not found then
        raise exception 'audit_seal: no unsealed row % in this tenant', p_seq;
    end if;
end
$$;

revoke insert on audit_log from palisade_app;
revoke all on function audit_append(text, uuid, text, text, text, text, text, text, jsonb) from public;
revoke all on function audit_seal(bigint, bytea) from public;
grant execute on function audit_append(text, uuid, text, text, text, text, text, text, jsonb) to palisade_app;
grant execute on function audit_seal(bigint, bytea) to palisade_app;

-- signed checkpoints of each chain's head, so that cutting rows off the end is detected: `mac`
-- is hmac-sha256(audit key, tenant, seq, head_hash, the previous checkpoint's mac). they are
-- written every few minutes by a job and by `palisade admin audit-verify`, and each one is also
-- logged, which puts a copy outside the database.
create table audit_checkpoints (
    tenant_id uuid not null,
    seq bigint not null,
    head_hash bytea not null,
    prev_mac bytea not null,
    mac bytea not null,
    created_at timestamptz not null default now(),
    primary key (tenant_id, seq)
);

alter table audit_checkpoints enable row level security;
alter table audit_checkpoints force row level security;
create policy tenant_isolation on audit_checkpoints
    using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
    with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

create function refuse_change() returns trigger
language plpgsql as $$
begin
    raise exception '% is append-only: % refused', tg_table_name, tg_op
        using errcode = 'insufficient_privilege';
end
$$;

create trigger audit_checkpoints_append_only before update or delete on audit_checkpoints
    for each row execute function refuse_change();
create trigger audit_checkpoints_no_truncate before truncate on audit_checkpoints
    for each statement execute function refuse_change();

grant select, insert on audit_checkpoints to palisade_app;
