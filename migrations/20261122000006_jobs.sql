-- jobs: the schema of the job queue (graphile_worker) and what the application role may do in it.
--
-- the queue's tables and functions are created by the graphile_worker library's own migrations,
-- which `platform::migrate::run` applies as palisade_owner right after these sql migrations. so
-- this file runs first, on an empty schema, and cannot grant on tables that do not exist yet.
-- it creates the schema and sets default privileges instead: every table, sequence and function
-- that palisade_owner creates in it later (now and in future library upgrades) is granted to
-- palisade_app as it is created. the application role gets no create privilege here: it runs
-- workers and enqueues jobs, never ddl.
--
-- two things need the library's tables to exist and are done in rust after its migrations
-- (`platform::jobs::schema`): the row-level-security policies that let palisade_app see the
-- queue's rows (the library enables rls on its tables without policies, which would hide every
-- row from a role that is not the owner), and narrowing the library's migration ledger to
-- select. the job rows are platform rows, not tenant rows: a job's payload names its tenant and
-- its handler works inside that tenant's `tenant_tx`.

create schema if not exists graphile_worker;

grant usage on schema graphile_worker to palisade_app;

alter default privileges for role palisade_owner in schema graphile_worker
    grant select, insert, update, delete on tables to palisade_app;
alter default privileges for role palisade_owner in schema graphile_worker
    grant usage, select on sequences to palisade_app;
alter default privileges for role palisade_owner in schema graphile_worker
    grant execute on functions to palisade_app;

-- the same grants for anything already there (a schema installed before this migration).
grant select, insert, update, delete on all tables in schema graphile_worker to palisade_app;
grant usage, select on all sequences in schema graphile_worker to palisade_app;
grant execute on all functions in schema graphile_worker to palisade_app;
