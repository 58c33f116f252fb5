-- The two large texts every order change writes, the stored status document (~8 KB) and the
-- event payload with its order snapshot (~3 KB), are compressed with lz4 instead of pglz where the
-- server has it (issue 21): compressing them was the costliest step of an import's statement on
-- PostgreSQL (pglz ~250 µs per document against ~75 µs with lz4, measured with psql on the
-- development host), and lz4 also reads back faster. Values already stored keep pglz and read as
-- before. PGlite is built without lz4, so there the columns stay as they are.
do $$
begin
  alter table order_status_documents alter column document set compression lz4;
  alter table events alter column payload set compression lz4;
exception when feature_not_supported then
  null;
end $$;
