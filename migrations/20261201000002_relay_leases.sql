-- the delivery relay sends outside any database transaction.
--
-- before: one job per delivery locked the delivery row and held that lock, a transaction and a
-- job slot for the whole http send (up to the send timeout), so one tenant's slow receivers
-- delayed every other tenant's notifications. now a dispatcher claims due deliveries in batches
-- with a lease, commits, sends, and records each outcome in a second short transaction, checked
-- against the claim's attempt id: a lease that expired (the dispatcher died) is claimed again,
-- and the late answer of a superseded attempt changes nothing.

-- the claim a delivery is under while `delivering`: whose attempt it is, and until when.
alter table deliveries
    add column attempt_id uuid,
    add column lease_until timestamptz;

-- the relay's queue: which deliveries are due, for every tenant, so that one statement claims a
-- batch across tenants with `for update skip locked`. it holds ids and times only, never a
-- payload, a channel setting or a secret; like graphile_worker's jobs it is platform data, and
-- the delivery itself is read and written only inside its tenant's transaction. one row per
-- delivery still to be sent; the row goes when the delivery is delivered or dead.
create schema relay;

create table relay.due (
    delivery_id uuid primary key,
    tenant_id uuid not null,
    channel_id uuid not null,
    due_at timestamptz not null default now(),
    -- set while a dispatcher holds the row; null or past: claimable.
    lease_until timestamptz
);
create index due_ready_idx on relay.due (due_at);

grant usage on schema relay to palisade_app;
grant select, insert, update, delete on relay.due to palisade_app;

-- deliveries still to be sent move to the new queue. deliveries forces row-level security on
-- its owner too, so the copy lifts it for this statement only.
alter table deliveries no force row level security;
alter table deliveries disable row level security;
insert into relay.due (delivery_id, tenant_id, channel_id, due_at)
select id, tenant_id, channel_id, next_attempt_at
  from deliveries
 where status in ('pending', 'delivering', 'failed');
alter table deliveries enable row level security;
alter table deliveries force row level security;

-- the per-delivery relay jobs of the old design, if the job queue's tables exist yet (on a new
-- database they are created after these migrations, and there are none).
do $$
begin
    if to_regclass('graphile_worker._private_jobs') is not null then
        delete from graphile_worker._private_jobs j
         using graphile_worker._private_tasks t
         where j.task_id = t.id and t.identifier = 'notify.relay_delivery';
    end if;
end
$$;
