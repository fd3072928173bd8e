-- channels can be deleted: a deleted channel's deliveries go with it (its events stay, they are
-- facts of the tenant). the cascade runs as the table owner, so the application role still has
-- no delete on deliveries.
alter table deliveries drop constraint deliveries_tenant_id_channel_id_fkey;
alter table deliveries add constraint deliveries_tenant_id_channel_id_fkey
    foreign key (tenant_id, channel_id) references channels (tenant_id, id) on delete cascade;

-- the deliveries list: a tenant's deliveries, newest first (delivery ids are not time-ordered).
create index deliveries_created_idx on deliveries (tenant_id, created_at desc, id desc);
