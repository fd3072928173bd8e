-- alerts: a source's own alert id is unique within the configured source that pushed it, not
-- within its product. two wazuh managers (two configured sources of one tenant) number their
-- alerts independently and may reuse an id; keyed by product alone, the second manager's alert
-- was answered as a duplicate of the first's and never stored.
--
-- `scope` is where an id is unique: the configured source that pushed it, or the tenant's own
-- id for pushes authenticated by an api key, which name no configured source (their ids stay
-- unique within the product, as before). a uuid of either kind never equals one of the other.

alter table alert_source_ids add column scope uuid;

-- ids recorded before this migration take the configured source of the alert they name (the
-- alert an item folded into was pushed by the same source in all but rare cases).
update alert_source_ids s
   set scope = coalesce((select a.ingest_source_id from alerts a
                          where a.tenant_id = s.tenant_id and a.id = s.alert_id),
                        s.tenant_id);

alter table alert_source_ids alter column scope set not null;
alter table alert_source_ids drop constraint alert_source_ids_pkey;
alter table alert_source_ids add primary key (tenant_id, source, scope, source_id);
