-- Who made an order's tracking link, as events name their actor (issue 23: GET …/tracking-link
-- tells whether a link exists, since when and by whom). `created_by` keeps the API client (a
-- person's hidden one when signed in); the creator is the person or the client, with the name
-- it had then, so the answer needs no other module's tables.
alter table order_tracking_links
  add column created_by_type text check (created_by_type in ('api_client', 'user')),
  add column created_by_id uuid,
  add column created_by_name text;
-- Links made before this migration name their API client.
update order_tracking_links l
   set created_by_type = 'api_client', created_by_id = c.id, created_by_name = c.name
  from api_clients c
 where c.tenant_id = l.tenant_id and c.id = l.created_by;
