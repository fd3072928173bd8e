-- alerts keep their finding (jsonb), the payload as received (json) and the search vector
-- (tsvector) in the row; from about 2 kb up postgresql compresses such values, by default with
-- pglz, which was a sixth of the database's time in sustained ingestion. lz4 compresses several
-- times faster at a similar ratio. only values written from now on use it; older ones stay
-- readable as they are. a postgresql built without lz4 (every common package has it) keeps
-- pglz rather than failing the upgrade.
do $$
begin
    alter table alerts
        alter column finding set compression lz4,
        alter column raw set compression lz4,
        alter column search set compression lz4;
exception when feature_not_supported then
    raise notice 'this postgresql has no lz4: alerts keep pglz compression';
end
$$;
