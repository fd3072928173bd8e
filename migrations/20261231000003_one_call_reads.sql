-- one-round-trip tenant reads. a read in a scoped transaction takes three round trips: begin
-- with the tenant scope, the query, the rollback. the reading functions here take the tenant as
-- their first argument, scope their own transaction to it and read in the same call; called
-- outside an explicit transaction, the call is one statement in an implicit transaction of its
-- own, and the scope ends with it. they are security invoker (the default), so row-level
-- security applies to the caller exactly as it does to a query in a scoped transaction: the
-- tenant argument only chooses the scope, and the policies decide what is seen.

-- scopes the current transaction to p_tenant. a transaction already scoped to another tenant is
-- refused rather than moved: a reading function called by mistake inside another tenant's
-- transaction must fail, not widen what the rest of that transaction sees.
create function app_scope(p_tenant uuid) returns void
language plpgsql
as $$
declare
    scoped text := nullif(current_setting('app.tenant_id', true), '');
begin
    if p_tenant is null then
        raise exception 'app_scope: a tenant is required' using errcode = '22004';
    end if;
    if scoped is not null and scoped <> p_tenant::text then
        raise exception 'app_scope: the transaction is scoped to another tenant'
            using errcode = '42501';
    end if;
    perform set_config('app.tenant_id', p_tenant::text, true);
end
$$;

-- one page of a tenant's audit chain, newest first (the read of `GET /v1/audit-log`, the
-- benchmark hot path). every filter is optional (null: not filtered); the cursor is an index
-- condition on the primary key, so a deep page starts where the last one ended (it is compared
-- as a plain parameter: under row-level security, a condition on an expression such as
-- coalesce() may not run before the policy's and would filter instead). one statement serves
-- every combination of filters, and its generic plan is kept: planning afresh on every call was
-- most of this read's time. a generic plan cannot see which filters are null and guesses that
-- they leave almost nothing, so it would scan the table and sort; with sequential scans, bitmap
-- scans and sorts off for the call, the plan is the one this read always wants: the primary
-- key walked backwards, the filters applied on the way, stopping at the limit.
create function audit_log_page(
    p_tenant uuid,
    p_before_seq bigint,
    p_actor_id uuid,
    p_action text,
    p_action_prefix text,
    p_target_type text,
    p_target_id text,
    p_since timestamptz,
    p_until timestamptz,
    p_limit integer
) returns table (
    id uuid,
    seq bigint,
    occurred_at timestamptz,
    actor_type text,
    actor_id uuid,
    action text,
    target_type text,
    target_id text,
    request_id text,
    source_ip text,
    user_agent text,
    summary jsonb
)
language plpgsql
set enable_seqscan = off
set enable_bitmapscan = off
set enable_sort = off
set plan_cache_mode = force_generic_plan
as $$
begin
    perform app_scope(p_tenant);
    p_before_seq := coalesce(p_before_seq, 9223372036854775807);
    return query
        select a.id, a.seq, a.occurred_at, a.actor_type, a.actor_id, a.action, a.target_type,
               a.target_id, a.request_id, a.source_ip, a.user_agent, a.summary
          from audit_log a
         where a.tenant_id = p_tenant
           and a.seq < p_before_seq
           and (p_actor_id is null or a.actor_id = p_actor_id)
           and (p_action is null or a.action = p_action)
           and (p_action_prefix is null or starts_with(a.action, p_action_prefix))
           and (p_target_type is null or a.target_type = p_target_type)
           and (p_target_id is null or a.target_id = p_target_id)
           and (p_since is null or a.occurred_at >= p_since)
           and (p_until is null or a.occurred_at < p_until)
         order by a.seq desc
         limit least(greatest(p_limit, 1), 1001);
end
$$;

-- the summaries of announced events of one tenant (the live feed's read), oldest first; ids of
-- other tenants or of events that do not exist are not found.
create function feed_events(p_tenant uuid, p_ids uuid[])
returns table (id uuid, type text, severity text, summary text, created_at timestamptz)
language plpgsql
as $$
begin
    perform app_scope(p_tenant);
    return query
        select e.id, e.type, e.severity, e.title, e.created_at
          from events e
         where e.tenant_id = p_tenant and e.id = any(p_ids)
         order by e.id;
end
$$;
