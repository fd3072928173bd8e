-- one page of the alert queue (`GET /v1/alerts`, the console's most frequent read), newest
-- first, in one round trip instead of three: it scopes itself with app_scope, like the other
-- one-call reads of 20261231000003, and row-level security applies to the caller as in a scoped
-- transaction. every filter is optional (null: not filtered). each call is planned with its own
-- values (a custom plan), so an unset filter folds away and the plan is the one the statement
-- written for the set filters alone would get: the primary key walked backwards for a plain
-- page, the status or severity index for those filters, the search index for free text.
create function alerts_page(
    p_tenant uuid,
    p_before uuid,
    p_statuses text[],
    p_severities smallint[],
    p_sources text[],
    p_unassigned boolean,
    p_assignee uuid,
    p_rule_uid text,
    p_detection_rule_id uuid,
    p_from_id uuid,
    p_from timestamptz,
    p_to_id uuid,
    p_to timestamptz,
    p_observables text[],
    p_observable_kind text,
    p_query text,
    p_limit integer
) returns table (
    id uuid,
    title text,
    severity smallint,
    status text,
    disposition text,
    source text,
    rule_uid text,
    rule_name text,
    detection_rule_id uuid,
    parent_alert_id uuid,
    assignee_id uuid,
    occurrences bigint,
    first_seen_at timestamptz,
    last_seen_at timestamptz,
    event_time timestamptz,
    created_at timestamptz,
    updated_at timestamptz,
    acknowledged_at timestamptz,
    closed_at timestamptz,
    ack_breached_at timestamptz,
    close_breached_at timestamptz
)
language plpgsql
set plan_cache_mode = force_custom_plan
as $$
begin
    perform app_scope(p_tenant);
    return query
        select a.id, a.title, a.severity, a.status, a.disposition, a.source, a.rule_uid,
               a.rule_name, a.detection_rule_id, a.parent_alert_id, a.assignee_id,
               a.occurrences, a.first_seen_at, a.last_seen_at, a.event_time, a.created_at,
               a.updated_at, a.acknowledged_at, a.closed_at, a.ack_breached_at,
               a.close_breached_at
          from alerts a
         where a.tenant_id = p_tenant
           and (p_before is null or a.id < p_before)
           and (p_statuses is null or a.status = any(p_statuses))
           and (p_severities is null or a.severity = any(p_severities))
           and (p_sources is null or a.source = any(p_sources))
           and (not p_unassigned or a.assignee_id is null)
           and (p_assignee is null or a.assignee_id = p_assignee)
           and (p_rule_uid is null or a.rule_uid = p_rule_uid)
           and (p_detection_rule_id is null or a.detection_rule_id = p_detection_rule_id)
           and (p_from_id is null or (a.id >= p_from_id and a.created_at >= p_from))
           and (p_to_id is null or (a.id < p_to_id and a.created_at < p_to))
           and (p_observables is null
                or a.id in (select o.alert_id
                              from alert_observables o
                             where o.tenant_id = p_tenant
                               and o.value = any(p_observables)
                               and (p_observable_kind is null or o.kind = p_observable_kind)))
           and (p_query is null or a.search @@ websearch_to_tsquery('simple', p_query))
         order by a.id desc
         limit least(greatest(p_limit, 1), 1001);
end
$$;
